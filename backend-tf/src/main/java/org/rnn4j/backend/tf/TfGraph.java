package org.rnn4j.backend.tf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * One model built for one mode, sequence length and loss flag: a TensorFlow {@link Graph}, its
 * {@link Session}, and for training graphs the gradient of the loss with respect to every
 * trainable weight. The graph is complete before the session exists, so concurrent
 * {@code Session.run} calls never see it change.
 */
final class TfGraph implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final BuiltGraph<Operand<?>> built;
    private final Map<String, Output<?>> gradients;
    private final String description;

    private TfGraph(Graph graph, Session session, BuiltGraph<Operand<?>> built, Map<String, Output<?>> gradients, String description) {
        this.description = description;
        this.graph = graph;
        this.session = session;
        this.built = built;
        this.gradients = gradients;
    }

    static TfGraph build(ModelSpec spec, ModelGraph.Mode mode, int timeSteps, boolean withLoss, boolean withGradients,
                         ConfigProto config, String description) {
        Graph graph = new Graph();
        try {
            BuiltGraph<Operand<?>> built = ModelGraph.build(spec, new TfOps(graph), mode, timeSteps, withLoss);
            Map<String, Output<?>> gradients = new LinkedHashMap<>();
            if (withGradients) {
                List<String> trainable = spec.weights().stream().filter(WeightSpec::trainable).map(WeightSpec::name).toList();
                if (!trainable.isEmpty()) {
                    Output<?>[] xs = trainable.stream().map(n -> built.weights().get(n).asOutput()).toArray(Output<?>[]::new);
                    Output<?>[] dxs = graph.addGradients(built.loss().asOutput(), xs);
                    for (int k = 0; k < xs.length; k++) {
                        gradients.put(trainable.get(k), dxs[k]);
                    }
                }
            }
            Session session = new Session(graph, config);
            return new TfGraph(graph, session, built, gradients, description);
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
    }

    /** What it is, for messages: {@code training graph for 12 time steps}. */
    String description() {
        return description;
    }

    Session session() {
        return session;
    }

    BuiltGraph<Operand<?>> built() {
        return built;
    }

    /** The gradient of the loss by trainable weight name, in Keras order (training graphs only). */
    Map<String, Output<?>> gradients() {
        return gradients;
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            graph.close();
        }
    }
}
