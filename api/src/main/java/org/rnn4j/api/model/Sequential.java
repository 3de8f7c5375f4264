package org.rnn4j.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.LayerSpec;
import org.rnn4j.api.tensor.DType;

/**
 * A fluent builder for {@link ModelSpec}, Keras's {@code Sequential} in Java:
 * <pre>{@code
 * ModelSpec spec = Sequential.name("stock")
 *     .input(50, 1)                       // windows of 50 prices, 1 feature
 *     .add(Layers.simpleRnn(10))
 *     .add(Layers.dense(1))
 *     .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), Metric.MAE)
 *     .build();
 * }</pre>
 * Everything is checked in {@link #build()}, with messages that say how to fix the model.
 */
public final class Sequential {
    private final String name;
    private List<Integer> inputShape;
    private DType inputDType = DType.FLOAT32;
    private final List<LayerSpec> layers = new ArrayList<>();
    private CompileSpec compile;
    private FitOptions fit;

    private Sequential(String name) {
        this.name = name;
    }

    public static Sequential builder() {
        return new Sequential("sequential");
    }

    public static Sequential name(String name) {
        return new Sequential(name);
    }

    /** Float input without the batch axis: {@code input(50, 1)} for windows of 50 one-feature steps. Use -1 for any time length. */
    public Sequential input(int... shape) {
        this.inputShape = Arrays.stream(shape).boxed().toList();
        this.inputDType = DType.FLOAT32;
        return this;
    }

    /** Int32 token-id input of {@code timeSteps} ids per sample (-1 for any length), for an Embedding first layer. */
    public Sequential tokenInput(int timeSteps) {
        this.inputShape = List.of(timeSteps);
        this.inputDType = DType.INT32;
        return this;
    }

    public Sequential add(LayerSpec layer) {
        if (layer == null) {
            throw new IllegalArgumentException("layer must not be null");
        }
        layers.add(layer);
        return this;
    }

    public Sequential compile(CompileSpec compile) {
        this.compile = compile;
        return this;
    }

    public Sequential compile(Loss loss, OptimizerSpec optimizer, Metric... metrics) {
        return compile(new CompileSpec(loss, optimizer, List.of(metrics)));
    }

    public Sequential fit(FitOptions fit) {
        this.fit = fit;
        return this;
    }

    public ModelSpec build() {
        if (inputShape == null) {
            throw new IllegalArgumentException(
                    "the model has no input shape; call input(time, features) or tokenInput(time) before build()");
        }
        return new ModelSpec(name, inputShape, inputDType, layers, compile, fit);
    }
}
