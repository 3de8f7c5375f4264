package org.rnn4j.api.model;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.layers.LayerSpec;
import org.rnn4j.api.tensor.DType;

/**
 * An immutable, validated Sequential model: the input (shape without the batch axis, -1 for an
 * unknown time length; dtype), the layers with their final names, and the compile and fit
 * settings. Build one with {@link Sequential}; read one from JSON with
 * {@code org.rnn4j.api.json.SpecJson}.
 */
public final class ModelSpec {
    private final String name;
    private final List<Integer> inputShape;
    /** {@link #inputShape} as an array, made once: every call's input is checked against it. */
    private final int[] inputShapeArray;

    private final DType inputDType;
    private final List<LayerSpec> layers;
    private final CompileSpec compile;
    private final FitOptions fit;
    private final List<String> trainingIssues;
    /** Shape inference runs once, here: engines and the trainer ask for weights and shapes often. */
    private final List<LayerInfo> layerInfos;

    private final List<WeightSpec> weights;

    public ModelSpec(
            String name,
            List<Integer> inputShape,
            DType inputDType,
            List<LayerSpec> layers,
            CompileSpec compile,
            FitOptions fit) {
        this(name, inputShape, inputDType, layers, compile, fit, List.of());
    }

    /**
     * @param trainingIssues why the model cannot be trained as its source file describes (fields of a
     *                       Keras file's training configuration rnn4j cannot honour, each naming its
     *                       JSON path); {@code fit} refuses such a model until it is compiled again
     */
    public ModelSpec(
            String name,
            List<Integer> inputShape,
            DType inputDType,
            List<LayerSpec> layers,
            CompileSpec compile,
            FitOptions fit,
            List<String> trainingIssues) {
        if (name == null || !LayerSpec.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "model name '" + name + "' is invalid: use a letter followed by letters, digits, '_', '.' or '-'");
        }
        if (inputShape == null || inputShape.isEmpty()) {
            throw new IllegalArgumentException(
                    "the model needs an input shape without the batch axis, e.g. [50, 1] for windows of 50 prices"
                            + " or [100] for token ids");
        }
        if (inputShape.size() > 2) {
            throw new IllegalArgumentException("input shape " + inputShape + " has " + inputShape.size()
                    + " dimensions; rnn4j takes [features], [time, features] or [time] (token ids)");
        }
        for (int i = 0; i < inputShape.size(); i++) {
            Integer d = inputShape.get(i);
            if (d == null
                    || d == 0
                    || d < -1
                    || (d == -1 && i == inputShape.size() - 1 && inputDType == DType.FLOAT32)) {
                throw new IllegalArgumentException(
                        "input shape " + inputShape + " is invalid: dimensions must be positive"
                                + " (the time length may be -1 = any, the feature size must be known)");
            }
        }
        inputShape = List.copyOf(inputShape);
        if (inputDType == null) {
            throw new IllegalArgumentException("the model needs an input dtype: float32 or int32");
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no layers; add at least one");
        }
        List<LayerInfo> infos = ShapeInference.infer(inputShape, inputDType, layers);
        try {
            for (LayerInfo info : infos) {
                for (WeightSpec w : info.weights()) {
                    w.size();
                }
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "the model's weights are too large to count (over 2^63 values); use smaller layers");
        }
        List<LayerSpec> named = new ArrayList<>();
        List<WeightSpec> all = new ArrayList<>();
        for (LayerInfo info : infos) {
            named.add(info.layer());
            all.addAll(info.weights());
        }
        this.inputShapeArray = inputShape.stream().mapToInt(Integer::intValue).toArray();
        this.name = name;
        this.inputShape = inputShape;
        this.inputDType = inputDType;
        this.layers = List.copyOf(named);
        this.compile = compile == null ? CompileSpec.defaults() : compile;
        this.fit = fit == null ? FitOptions.defaults() : fit;
        this.trainingIssues = List.copyOf(trainingIssues == null ? List.of() : trainingIssues);
        this.layerInfos = List.copyOf(infos);
        this.weights = List.copyOf(all);
    }

    public String name() {
        return name;
    }

    /** The input shape without the batch axis; -1 for an unknown time length. */
    public List<Integer> inputShape() {
        return inputShape;
    }

    public DType inputDType() {
        return inputDType;
    }

    /** The layers, each with its final name. */
    public List<LayerSpec> layers() {
        return layers;
    }

    public CompileSpec compile() {
        return compile;
    }

    public FitOptions fit() {
        return fit;
    }

    /**
     * Why this model cannot be trained as its source file describes (empty when it can): each a
     * field of a Keras training configuration rnn4j cannot honour. {@link #withCompile} clears them.
     */
    public List<String> trainingIssues() {
        return trainingIssues;
    }

    /** Each layer with its shapes and weights, in order. */
    public List<LayerInfo> layerInfos() {
        return layerInfos;
    }

    /** Every weight of the model in Keras order (layer by layer; kernel, recurrent_kernel, bias). */
    public List<WeightSpec> weights() {
        return weights;
    }

    /** Output shape without the batch axis. */
    public List<Integer> outputShape() {
        List<LayerInfo> infos = layerInfos();
        return infos.get(infos.size() - 1).outputShape();
    }

    public long parameterCount() {
        return weights().stream().mapToLong(WeightSpec::size).sum();
    }

    public long trainableParameterCount() {
        return weights().stream()
                .filter(WeightSpec::trainable)
                .mapToLong(WeightSpec::size)
                .sum();
    }

    public int[] inputShapeArray() {
        return inputShapeArray.clone();
    }

    /** The model compiled anew: the training issues of its source file no longer apply. */
    public ModelSpec withCompile(CompileSpec c) {
        return new ModelSpec(name, inputShape, inputDType, layers, c, fit);
    }

    public ModelSpec withFit(FitOptions f) {
        return new ModelSpec(name, inputShape, inputDType, layers, compile, f, trainingIssues);
    }

    public ModelSpec withName(String n) {
        return new ModelSpec(n, inputShape, inputDType, layers, compile, fit, trainingIssues);
    }

    /** The Keras-style summary table. */
    public String summary() {
        return Summary.render(this);
    }

    /** Value equality over what defines a model (the derived shapes follow from it). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m
                && name.equals(m.name)
                && inputShape.equals(m.inputShape)
                && inputDType == m.inputDType
                && layers.equals(m.layers)
                && compile.equals(m.compile)
                && fit.equals(m.fit)
                && trainingIssues.equals(m.trainingIssues);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, inputShape, inputDType, layers, compile, fit, trainingIssues);
    }

    @Override
    public String toString() {
        return "ModelSpec[name=" + name + ", inputShape=" + inputShape + ", inputDType=" + inputDType + ", layers="
                + layers + ", compile=" + compile + ", fit=" + fit
                + (trainingIssues.isEmpty() ? "" : ", trainingIssues=" + trainingIssues) + "]";
    }
}
