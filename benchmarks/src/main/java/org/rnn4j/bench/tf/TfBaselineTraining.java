package org.rnn4j.bench.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.TrainingRun;
import org.rnn4j.bench.Workload;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A training workload in plain TensorFlow Java: the graph of {@link TfBaselineNet} in one of the
 * {@link TfForm}s, the loss (MSE,
 * or TensorFlow's fused softmax cross-entropy on logits with one-hot labels for W2), {@code Graph.addGradients}
 * (with {@code BlockLSTMGradV2} wired by hand for the fused form),
 * and one {@code ApplyAdam} per variable (Keras's hyper-parameters: lr 0.001, betas 0.9/0.999,
 * epsilon 1e-7) behind one training target. Each step feeds one batch plus the two bias-correction
 * powers and fetches only the loss; the weights never leave TensorFlow. Batch tensors are made
 * once, before timing, and reused in a fixed order every epoch (no shuffling).
 */
public final class TfBaselineTraining implements TrainingRun {
    private static final float LEARNING_RATE = 0.001f;
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f;

    private final Graph graph;
    private final Session session;
    private final Placeholder<?> x;
    private final Placeholder<?> y;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final Operand<TFloat32> loss;
    private final Op train;
    private final List<org.tensorflow.Tensor> xBatches = new ArrayList<>();
    private final List<org.tensorflow.Tensor> yBatches = new ArrayList<>();
    private long step;

    public TfBaselineTraining(Workload workload, SyntheticData data, TfForm form) {
        Workload.Sizes s = data.sizes();
        this.graph = new Graph();
        try {
            TfBaselineNet net = new TfBaselineNet(graph, workload, s, form);
            Ops tf = net.tf();
            boolean tokens = workload == Workload.W2;
            if (tokens) {
                x = tf.withName("x").placeholder(TInt32.class, Placeholder.shape(Shape.of(s.batch(), s.steps())));
                y = tf.withName("y").placeholder(TInt32.class, Placeholder.shape(Shape.of(s.batch(), s.steps())));
            } else {
                x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.batch(), s.steps(), 1)));
                y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.batch(), 1)));
            }
            Operand<TFloat32> out = net.forward(x, false);
            if (tokens) {
                @SuppressWarnings("unchecked")
                Operand<TInt32> labels = tf.reshape(
                        tf.linalg.transpose((Operand<TInt32>) y, tf.constant(new int[] {1, 0})),
                        tf.constant(new int[] {-1}));
                // TensorFlow's C++ gradient registry has no SparseSoftmaxCrossEntropyWithLogits; the dense fused op has
                // one.
                Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(s.vocab()), tf.constant(1f), tf.constant(0f));
                loss = tf.math.mean(
                        tf.nn.softmaxCrossEntropyWithLogits(out, oneHot).loss(), tf.constant(0));
            } else {
                @SuppressWarnings("unchecked")
                Operand<TFloat32> target = (Operand<TFloat32>) y;
                loss = tf.math.mean(
                        tf.reshape(tf.math.square(tf.math.sub(out, target)), tf.constant(new int[] {-1})),
                        tf.constant(0));
            }
            List<TfBaselineNet.Param> params = net.params();
            List<Output<?>> grads = net.gradients(graph, loss);
            beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Operand<TFloat32> lr = tf.constant(LEARNING_RATE);
            Operand<TFloat32> b1 = tf.constant(BETA1);
            Operand<TFloat32> b2 = tf.constant(BETA2);
            Operand<TFloat32> eps = tf.constant(EPSILON);
            List<Op> updates = new ArrayList<>();
            for (int k = 0; k < params.size(); k++) {
                TfBaselineNet.Param p = params.get(k);
                Variable<TFloat32> m =
                        tf.variable(tf.zeros(tf.constant(p.shape().asArray()), TFloat32.class));
                Variable<TFloat32> v =
                        tf.variable(tf.zeros(tf.constant(p.shape().asArray()), TFloat32.class));
                @SuppressWarnings("unchecked")
                Operand<TFloat32> g = (Operand<TFloat32>) grads.get(k);
                updates.add(tf.train.applyAdam(p.variable(), m, v, beta1Power, beta2Power, lr, b1, b2, eps, g));
            }
            train = tf.withControlDependencies(updates).noOp();
            session = new Session(graph, TfBaselineConfig.config());
            session.initialize();
            makeBatches(data, tokens);
        } catch (RuntimeException | Error e) {
            closeBatches();
            graph.close();
            throw e;
        }
    }

    private void makeBatches(SyntheticData data, boolean tokens) {
        Workload.Sizes s = data.sizes();
        for (int b = 0; b < s.batchesPerEpoch(); b++) {
            Tensor xb = data.x().sliceRows(b * s.batch(), (b + 1) * s.batch());
            Tensor yb = data.y().sliceRows(b * s.batch(), (b + 1) * s.batch());
            if (tokens) {
                xBatches.add(
                        TInt32.tensorOf(Shape.of(s.batch(), s.steps()), DataBuffers.of(xb.intView(), true, false)));
                yBatches.add(
                        TInt32.tensorOf(Shape.of(s.batch(), s.steps()), DataBuffers.of(yb.intView(), true, false)));
            } else {
                xBatches.add(TFloat32.tensorOf(
                        Shape.of(s.batch(), s.steps(), 1), DataBuffers.of(xb.floatView(), true, false)));
                yBatches.add(TFloat32.tensorOf(Shape.of(s.batch(), 1), DataBuffers.of(yb.floatView(), true, false)));
            }
        }
    }

    @Override
    public double epoch(int epoch, int batches, IntConsumer batchDone) {
        double sum = 0;
        for (int b = 0; b < batches; b++) {
            step++;
            try (TFloat32 p1 = TFloat32.scalarOf((float) Math.pow(BETA1, (double) step));
                    TFloat32 p2 = TFloat32.scalarOf((float) Math.pow(BETA2, (double) step));
                    Result r = session.runner()
                            .feed(x, xBatches.get(b))
                            .feed(y, yBatches.get(b))
                            .feed(beta1Power, p1)
                            .feed(beta2Power, p2)
                            .addTarget(train)
                            .fetch(loss)
                            .run()) {
                sum += ((TFloat32) r.get(0)).getFloat();
            }
            batchDone.accept(b);
        }
        return sum / batches;
    }

    private void closeBatches() {
        xBatches.forEach(org.tensorflow.Tensor::close);
        yBatches.forEach(org.tensorflow.Tensor::close);
        xBatches.clear();
        yBatches.clear();
    }

    @Override
    public void close() {
        try {
            closeBatches();
            session.close();
        } finally {
            graph.close();
        }
    }
}
