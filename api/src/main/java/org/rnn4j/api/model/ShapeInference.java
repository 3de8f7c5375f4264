package org.rnn4j.api.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.api.layers.ActivationSpec;
import org.rnn4j.api.layers.BatchNormalizationSpec;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.Conv1DSpec;
import org.rnn4j.api.layers.DenseSpec;
import org.rnn4j.api.layers.DropoutSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.layers.FlattenSpec;
import org.rnn4j.api.layers.GlobalPooling1DSpec;
import org.rnn4j.api.layers.GruSpec;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.layers.LayerNormalizationSpec;
import org.rnn4j.api.layers.LayerSpec;
import org.rnn4j.api.layers.LayerVisitor;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.MaskingSpec;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.layers.Padding;
import org.rnn4j.api.layers.Pooling1DSpec;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.RepeatVectorSpec;
import org.rnn4j.api.layers.SimpleRnnSpec;
import org.rnn4j.api.layers.TimeDistributedSpec;
import org.rnn4j.api.layers.WeightRules;
import org.rnn4j.api.tensor.DType;

/**
 * Names layers the Keras way, checks that each layer accepts what the previous one produces,
 * and lists every weight. Every mistake is reported with both layers named and the fix.
 */
final class ShapeInference {
    private ShapeInference() {}

    static List<LayerInfo> infer(List<Integer> inputShape, DType inputDType, List<LayerSpec> layers) {
        List<LayerSpec> named = assignNames(layers);
        List<LayerInfo> out = new ArrayList<>();
        List<Integer> shape = inputShape;
        boolean masked = false;
        String previous = null;
        String previousType = null;
        for (int i = 0; i < named.size(); i++) {
            LayerSpec layer = named.get(i);
            if (layer instanceof EmbeddingSpec && i > 0) {
                throw new IllegalArgumentException(
                        "layer '" + layer.name() + "' (Embedding) must be the first layer: it reads int token ids");
            }
            if (i == 0 && inputDType == DType.INT32 && !(layer instanceof EmbeddingSpec)) {
                throw new IllegalArgumentException(
                        "the input is int32 token ids but the first layer '" + layer.name() + "' (" + layer.typeName()
                                + ") expects floats; start with an Embedding layer or declare a float32 input");
            }
            if (i == 0 && layer instanceof EmbeddingSpec && inputDType != DType.INT32) {
                throw new IllegalArgumentException(
                        "layer '" + layer.name() + "' (Embedding) reads int32 token ids but the input is declared "
                                + inputDType.jsonName() + "; declare the input as int32 [time]");
            }
            Step step = layer.accept(new Visitor(layer.name(), shape, previous, previousType, masked));
            out.add(new LayerInfo(layer, layer.name(), shape, step.shape, masked, step.weights));
            masked = step.maskOut;
            shape = step.shape;
            previous = layer.name();
            previousType = layer.typeName();
        }
        return out;
    }

    private static List<LayerSpec> assignNames(List<LayerSpec> layers) {
        Set<String> explicit = new HashSet<>();
        for (LayerSpec l : layers) {
            if (l.name() != null && !explicit.add(l.name())) {
                throw new IllegalArgumentException(
                        "two layers are named '" + l.name() + "'; layer names must be unique");
            }
        }
        Map<String, Integer> counters = new HashMap<>();
        Set<String> used = new HashSet<>(explicit);
        List<LayerSpec> named = new ArrayList<>();
        for (LayerSpec l : layers) {
            if (l.name() != null) {
                named.add(l);
                continue;
            }
            String prefix = l.defaultNamePrefix();
            String candidate;
            do {
                int n = counters.merge(prefix, 1, Integer::sum) - 1;
                candidate = n == 0 ? prefix : prefix + "_" + n;
            } while (!used.add(candidate));
            named.add(l.withName(candidate));
        }
        return named;
    }

    private record Step(List<Integer> shape, List<WeightSpec> weights, boolean maskOut) {}

    private static final class Visitor implements LayerVisitor<Step> {
        private final String name;
        private final List<Integer> in;
        private final String previous;
        private final String previousType;
        private final boolean masked;

        Visitor(String name, List<Integer> in, String previous, String previousType, boolean masked) {
            this.name = name;
            this.in = in;
            this.previous = previous;
            this.previousType = previousType;
            this.masked = masked;
        }

        private int features() {
            int f = in.get(in.size() - 1);
            if (f < 0) {
                throw new IllegalArgumentException("layer '" + name + "' needs a known feature size but its input is "
                        + shapeText(in) + "; declare the last input dimension");
            }
            return f;
        }

        private void requireSequence(String type) {
            if (in.size() != 2) {
                String fix = previous == null
                        ? "give the model an input shape [time, features]"
                        : "set returnSequences(true) on '" + previous + "' (" + previousType + ")";
                throw new IllegalArgumentException(
                        "layer '" + name + "' (" + type + ") needs a 3-D input [batch, time, features] but "
                                + (previous == null
                                        ? "the model input is "
                                        : "'" + previous + "' (" + previousType + ") outputs ")
                                + shapeText(in) + "; " + fix);
            }
        }

        private List<WeightSpec> recurrentWeights(String prefix, RecurrentSpec r, int f) {
            int u = r.units();
            int k = r.gateCount();
            int ku = dim(name, (long) k * u);
            WeightRules rules = r.options().rules();
            List<WeightSpec> w = new ArrayList<>();
            w.add(new WeightSpec(
                    prefix + "/kernel",
                    List.of(f, ku),
                    true,
                    r.options().kernelInitializer(),
                    0,
                    rules.kernelRegularizer(),
                    rules.kernelConstraint()));
            w.add(new WeightSpec(
                    prefix + "/recurrent_kernel",
                    List.of(u, ku),
                    true,
                    r.options().recurrentInitializer(),
                    0,
                    rules.recurrentRegularizer(),
                    rules.recurrentConstraint()));
            if (r.options().useBias()) {
                List<Integer> biasShape = r instanceof GruSpec g && g.resetAfter() ? List.of(2, ku) : List.of(ku);
                int forget = r instanceof LstmSpec l && l.unitForgetBias() ? u : 0;
                w.add(new WeightSpec(
                        prefix + "/bias",
                        biasShape,
                        true,
                        r.options().biasInitializer(),
                        forget,
                        rules.biasRegularizer(),
                        rules.biasConstraint()));
            }
            return w;
        }

        private Step recurrent(RecurrentSpec r) {
            requireSequence(r.typeName());
            int f = features();
            requireUnrollable(r);
            List<Integer> shape = r.returnSequences() ? List.of(in.get(0), r.units()) : List.of(r.units());
            return new Step(shape, recurrentWeights(name, r, f), masked && r.returnSequences());
        }

        /** Keras refuses to unroll over an unknown number of steps. */
        private void requireUnrollable(RecurrentSpec r) {
            if (r.options().unroll() && in.get(0) < 0) {
                throw new IllegalArgumentException("layer '" + name + "' (" + r.typeName()
                        + ") sets unroll, which needs a known time length, but its input is " + shapeText(in)
                        + "; declare the time length or leave unroll false");
            }
        }

        @Override
        public Step visit(SimpleRnnSpec layer) {
            return recurrent(layer);
        }

        @Override
        public Step visit(LstmSpec layer) {
            return recurrent(layer);
        }

        @Override
        public Step visit(GruSpec layer) {
            return recurrent(layer);
        }

        @Override
        public Step visit(EmbeddingSpec layer) {
            if (in.size() != 1) {
                throw new IllegalArgumentException(
                        "layer '" + name + "' (Embedding) needs an int32 input [batch, time] but the model input is "
                                + shapeText(in) + "; declare the input shape as [time]");
            }
            return new Step(
                    List.of(in.get(0), layer.outputDim()),
                    List.of(new WeightSpec(
                            name + "/embeddings",
                            List.of(layer.inputDim(), layer.outputDim()),
                            true,
                            layer.embeddingsInitializer(),
                            0,
                            layer.rules().kernelRegularizer(),
                            layer.rules().kernelConstraint())),
                    layer.maskZero());
        }

        @Override
        public Step visit(DenseSpec layer) {
            int f = features();
            List<Integer> shape = new ArrayList<>(in);
            shape.set(shape.size() - 1, layer.units());
            return new Step(shape, denseWeights(name, layer, f), masked);
        }

        private static List<WeightSpec> denseWeights(String prefix, DenseSpec layer, int f) {
            WeightRules rules = layer.rules();
            List<WeightSpec> w = new ArrayList<>();
            w.add(new WeightSpec(
                    prefix + "/kernel",
                    List.of(f, layer.units()),
                    true,
                    layer.kernelInitializer(),
                    0,
                    rules.kernelRegularizer(),
                    rules.kernelConstraint()));
            if (layer.useBias()) {
                w.add(new WeightSpec(
                        prefix + "/bias",
                        List.of(layer.units()),
                        true,
                        layer.biasInitializer(),
                        0,
                        rules.biasRegularizer(),
                        rules.biasConstraint()));
            }
            return w;
        }

        @Override
        public Step visit(DropoutSpec layer) {
            return new Step(in, List.of(), masked);
        }

        @Override
        public Step visit(BatchNormalizationSpec layer) {
            int f = features();
            List<WeightSpec> w = new ArrayList<>();
            if (layer.scale()) {
                w.add(new WeightSpec(name + "/gamma", List.of(f), true, new Initializer.Ones(), 0));
            }
            if (layer.center()) {
                w.add(new WeightSpec(name + "/beta", List.of(f), true, new Initializer.Zeros(), 0));
            }
            w.add(new WeightSpec(name + "/moving_mean", List.of(f), false, new Initializer.Zeros(), 0));
            w.add(new WeightSpec(name + "/moving_variance", List.of(f), false, new Initializer.Ones(), 0));
            return new Step(in, w, masked);
        }

        @Override
        public Step visit(BidirectionalSpec layer) {
            RecurrentSpec inner = layer.layer();
            requireSequence("Bidirectional(" + inner.typeName() + ")");
            int f = features();
            requireUnrollable(inner);
            String innerName = layer.innerName();
            List<WeightSpec> w = new ArrayList<>(recurrentWeights(name + "/forward_" + innerName, inner, f));
            w.addAll(recurrentWeights(name + "/backward_" + innerName, inner, f));
            int units = layer.mergeMode() == MergeMode.CONCAT ? 2 * inner.units() : inner.units();
            List<Integer> shape = inner.returnSequences() ? List.of(in.get(0), units) : List.of(units);
            return new Step(shape, w, masked && inner.returnSequences());
        }

        @Override
        public Step visit(TimeDistributedSpec layer) {
            requireSequence("TimeDistributed(" + layer.layer().typeName() + ")");
            features();
            // The wrapped layer sees one step, [features], and names its weights after the wrapper.
            Step inner = layer.layer().accept(new Visitor(name, List.of(in.get(1)), previous, previousType, false));
            List<Integer> shape = new ArrayList<>();
            shape.add(in.get(0));
            shape.addAll(inner.shape);
            return new Step(shape, inner.weights, masked);
        }

        @Override
        public Step visit(MaskingSpec layer) {
            requireSequence("Masking");
            return new Step(in, List.of(), true);
        }

        @Override
        public Step visit(Conv1DSpec layer) {
            requireSequence("Conv1D");
            int f = features();
            int steps = outputSteps("Conv1D", layer.padding(), layer.span(), layer.strides());
            WeightRules rules = layer.rules();
            List<WeightSpec> w = new ArrayList<>();
            w.add(new WeightSpec(
                    name + "/kernel",
                    List.of(layer.kernelSize(), f, layer.filters()),
                    true,
                    layer.kernelInitializer(),
                    0,
                    rules.kernelRegularizer(),
                    rules.kernelConstraint()));
            if (layer.useBias()) {
                w.add(new WeightSpec(
                        name + "/bias",
                        List.of(layer.filters()),
                        true,
                        layer.biasInitializer(),
                        0,
                        rules.biasRegularizer(),
                        rules.biasConstraint()));
            }
            // Keras's convolutions do not pass a mask on.
            return new Step(List.of(steps, layer.filters()), w, false);
        }

        /** Output steps of a window layer; a known input too short for one window is an error. */
        private int outputSteps(String type, Padding padding, int span, int strides) {
            int steps = padding.outputSteps(in.get(0), span, strides);
            if (steps == 0) {
                throw new IllegalArgumentException("layer '" + name + "' (" + type + ") needs at least " + span
                        + " time steps with " + padding.jsonName() + " padding, but its input is " + shapeText(in)
                        + "; use a longer window, padding same, or a smaller kernel");
            }
            return steps;
        }

        @Override
        public Step visit(Pooling1DSpec layer) {
            requireSequence(layer.typeName());
            int f = features();
            int steps = outputSteps(layer.typeName(), layer.padding(), layer.poolSize(), layer.strides());
            return new Step(List.of(steps, f), List.of(), false);
        }

        @Override
        public Step visit(GlobalPooling1DSpec layer) {
            requireSequence(layer.typeName());
            int f = features();
            return new Step(layer.keepdims() ? List.of(1, f) : List.of(f), List.of(), false);
        }

        @Override
        public Step visit(LayerNormalizationSpec layer) {
            int f = features();
            List<WeightSpec> w = new ArrayList<>();
            if (layer.scale()) {
                w.add(new WeightSpec(name + "/gamma", List.of(f), true, new Initializer.Ones(), 0));
            }
            if (layer.center()) {
                w.add(new WeightSpec(name + "/beta", List.of(f), true, new Initializer.Zeros(), 0));
            }
            return new Step(in, w, masked);
        }

        @Override
        public Step visit(FlattenSpec layer) {
            if (in.size() == 1) {
                return new Step(in, List.of(), false);
            }
            if (in.get(0) < 0) {
                throw new IllegalArgumentException("layer '" + name + "' (Flatten) needs a known time length but its"
                        + " input is " + shapeText(in) + "; declare the time length of the model input");
            }
            return new Step(List.of(dim(name, (long) in.get(0) * features())), List.of(), false);
        }

        @Override
        public Step visit(RepeatVectorSpec layer) {
            if (in.size() != 1) {
                throw new IllegalArgumentException("layer '" + name + "' (RepeatVector) needs a 2-D input [batch,"
                        + " features] but " + (previous == null ? "the model input is " : "'" + previous + "' outputs ")
                        + shapeText(in)
                        + (previous == null ? "" : "; set returnSequences(false) on '" + previous + "'"));
            }
            return new Step(List.of(layer.n(), in.get(0)), List.of(), false);
        }

        @Override
        public Step visit(ActivationSpec layer) {
            return new Step(in, List.of(), masked);
        }
    }

    /** A dimension computed from layer sizes; absurd sizes are refused instead of overflowing. */
    static int dim(String layer, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("layer '" + layer + "' would need a weight dimension of " + value
                    + ", above " + Integer.MAX_VALUE + "; use fewer units");
        }
        return (int) value;
    }

    static String shapeText(List<Integer> shape) {
        StringBuilder sb = new StringBuilder("[batch");
        for (int d : shape) {
            sb.append(", ").append(d < 0 ? "None" : Integer.toString(d));
        }
        return sb.append(']').toString();
    }
}
