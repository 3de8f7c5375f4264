package org.rnn4j.api.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * What a {@link Program} call may be given, written once: the shape and type of inputs, targets,
 * sample weights and dropout masks, token and class ids inside their vocabularies, and a weight
 * store that holds the model's weights. {@link CheckedProgram} checks every call against it before
 * an engine sees the call, and {@link org.rnn4j.api.Model} checks whole datasets against it before
 * splitting them into batches. Each refusal is an {@link IllegalArgumentException} whose message
 * names the argument, what it is and what the model needs.
 */
public final class ProgramContract {
    private final ModelSpec spec;
    /** The token vocabulary of an embedding that reads the input, or -1. */
    private final int vocabulary;
    /**
     * The last store {@link #weights} accepted. A store's names and shapes are fixed when it is made
     * (only its values change), so accepting it once holds for every later call; a stream step is
     * otherwise checking every weight's shape again at every character.
     */
    private volatile java.lang.ref.WeakReference<WeightStore> accepted = new java.lang.ref.WeakReference<>(null);

    public ProgramContract(ModelSpec spec) {
        this.spec = spec;
        this.vocabulary = spec.layers().get(0) instanceof EmbeddingSpec e ? e.inputDim() : -1;
    }

    /**
     * Checks an input batch.
     *
     * @param what      the argument's name in messages ({@code "input"}, {@code "--x prices.csv"})
     * @param anyLength accept any number of time steps, whatever the model declares (a stream's
     *                  steps, a truncated-BPTT segment)
     * @return the time steps of the batch (the model's own when they are fixed)
     */
    public int input(Tensor x, String what, boolean anyLength) {
        if (x == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        int[] expected = spec.inputShapeArray();
        int[] shape = x.shape();
        if (shape.length != expected.length + 1) {
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape)
                    + " but the model takes [batch, " + join(expected) + "]; reshape it ("
                    + (spec.inputDType() == DType.INT32
                            ? "token ids are [n, steps]"
                            : "e.g. windows of prices are [n, window, 1]")
                    + ")");
        }
        for (int i = 0; i < expected.length; i++) {
            boolean free = expected[i] < 0 || (anyLength && i == 0);
            if (!free && expected[i] != shape[i + 1]) {
                throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape)
                        + " but the model takes [batch, " + join(expected) + "]");
            }
        }
        if (shape[0] == 0) {
            throw new IllegalArgumentException(what + " has no samples (batch size 0)");
        }
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] == 0) {
                throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape)
                        + ", an empty dimension; every dimension must be at least 1");
            }
        }
        if (x.dtype() != spec.inputDType()) {
            throw new IllegalArgumentException(what + " is " + x.dtype().jsonName() + " but the model takes "
                    + spec.inputDType().jsonName() + (spec.inputDType() == DType.INT32 ? " token ids" : " values"));
        }
        if (vocabulary > 0) {
            int[] ids = x.intView();
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] >= vocabulary) {
                    throw new IllegalArgumentException(what + " holds token id " + ids[i] + " at position " + i
                            + ", outside the vocabulary [0, " + vocabulary
                            + "); encode the text with the model's vocabulary");
                }
            }
        }
        if (anyLength || expected[0] < 0) {
            return shape[1];
        }
        return expected.length == 2 || spec.inputDType() == DType.INT32 ? expected[0] : 1;
    }

    /**
     * Checks a target batch against the output of an input of {@code batch} samples and
     * {@code steps} time steps: the output's shape (class ids without the class axis for a sparse
     * loss) and, for a sparse loss, ids inside the output's classes.
     */
    public void target(Tensor y, int batch, int steps) {
        if (y == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        boolean sparse = spec.compile().loss().sparseTargets();
        List<Integer> out = new ArrayList<>(spec.outputShape());
        if (out.size() >= 2) {
            int declared = out.get(0);
            if (declared == spec.inputShape().get(0)) {
                out.set(0, steps); // a sequence output is as long as the input (read at any length)
            } else if (declared == -1) {
                // The model changes the time axis by an amount only the graph knows: the target's own.
                out.set(0, y.rank() > 1 ? y.dim(1) : steps);
            } // else a fixed length of its own (RepeatVector, strided convolutions, pooling)
        }
        if (sparse) {
            out.remove(out.size() - 1);
        }
        int[] want = withBatch(batch, out);
        DType dtype = sparse ? DType.INT32 : DType.FLOAT32;
        if (y.dtype() != dtype || !Arrays.equals(y.shape(), want)) {
            throw new IllegalArgumentException("target is " + y.dtype().jsonName() + " " + Arrays.toString(y.shape())
                    + " but model '" + spec.name() + "' with loss "
                    + spec.compile().loss().jsonName() + " needs "
                    + dtype.jsonName() + " " + Arrays.toString(want)
                    + (sparse ? " (class ids)" : " (the output's shape)"));
        }
        classIds(y, "target");
    }

    /** For a sparse loss: int32 targets with every class id inside the output's classes. */
    public void classIds(Tensor y, String what) {
        if (!spec.compile().loss().sparseTargets()) {
            return;
        }
        if (y.dtype() != DType.INT32) {
            throw new IllegalArgumentException("sparse_categorical_crossentropy needs int32 class ids as targets, got "
                    + y.dtype().jsonName());
        }
        List<Integer> out = spec.outputShape();
        int classes = out.get(out.size() - 1);
        int[] ids = y.intView();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= classes) {
                throw new IllegalArgumentException(what + " class id " + ids[i] + " at position " + i
                        + " is outside [0, " + classes
                        + "), the model's output classes; encode the targets with the model's vocabulary");
            }
        }
    }

    /** Per-sample loss weights, or {@code null} for none: float32, one per value of the loss. */
    public void sampleWeight(Tensor w, int batch, int steps) {
        if (w == null) {
            return;
        }
        int[] want = withBatch(batch, ModelGraph.sampleWeightShape(spec, steps));
        if (w.dtype() != DType.FLOAT32 || !Arrays.equals(w.shape(), want)) {
            throw new IllegalArgumentException("sample weight is " + w.dtype().jsonName() + " "
                    + Arrays.toString(w.shape()) + " but model '" + spec.name() + "' needs float32 "
                    + Arrays.toString(want) + " (one weight per value of the loss)");
        }
    }

    /** Exactly the dropout masks the training graph reads, each float32 of its shape. */
    public void noise(Map<String, Tensor> noise, int batch, int steps) {
        if (noise == null) {
            throw new IllegalArgumentException("noise must not be null; pass Map.of() for a model without dropout");
        }
        List<NoiseSpec> specs = ModelGraph.noiseSpecs(spec, steps);
        Set<String> needed = new LinkedHashSet<>();
        specs.forEach(n -> needed.add(n.name()));
        if (!noise.keySet().equals(needed)) {
            throw new IllegalArgumentException(
                    "noise has masks " + noise.keySet() + " but the training graph of model '" + spec.name()
                            + "' reads exactly " + needed + "; draw them from ModelGraph.noiseSpecs");
        }
        for (NoiseSpec n : specs) {
            Tensor mask = noise.get(n.name());
            int[] want = n.shapeWithBatch(batch);
            if (mask == null || mask.dtype() != DType.FLOAT32 || !Arrays.equals(mask.shape(), want)) {
                throw new IllegalArgumentException("noise '" + n.name() + "' is "
                        + (mask == null ? "null" : mask.dtype().jsonName() + " " + Arrays.toString(mask.shape()))
                        + " but needs float32 " + Arrays.toString(want));
            }
        }
    }

    /** A weight store holding every weight of the model, each of its shape. */
    public void weights(WeightStore weights) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        if (accepted.get() == weights) {
            return;
        }
        for (WeightSpec w : spec.weights()) {
            if (!weights.contains(w.name())) {
                throw new IllegalArgumentException("the weight store has no weight '" + w.name() + "' of model '"
                        + spec.name() + "'; it holds " + names(weights) + "; build it from the model's weights");
            }
            if (!Arrays.equals(weights.spec(w.name()).shapeArray(), w.shapeArray())) {
                throw new IllegalArgumentException("the weight store holds " + weights.spec(w.name()) + " but model '"
                        + spec.name() + "' needs " + w + "; build it from the model's weights");
            }
        }
        accepted = new java.lang.ref.WeakReference<>(weights);
    }

    private static List<String> names(WeightStore weights) {
        return weights.specs().stream().map(WeightSpec::name).toList();
    }

    private static int[] withBatch(int batch, List<Integer> dims) {
        int[] s = new int[dims.size() + 1];
        s[0] = batch;
        for (int i = 0; i < dims.size(); i++) {
            s[i + 1] = dims.get(i);
        }
        return s;
    }

    private static String join(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i] < 0 ? "any" : Integer.toString(dims[i]));
        }
        return sb.toString();
    }
}
