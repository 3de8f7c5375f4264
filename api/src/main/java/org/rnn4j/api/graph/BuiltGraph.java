package org.rnn4j.api.graph;

import java.util.List;
import java.util.Map;

/**
 * What {@link ModelGraph#build} produced in an engine's graph.
 *
 * @param input      the model input placeholder ({@code [batch, time, features]} or int {@code [batch, time]})
 * @param target     the target placeholder, or {@code null} when built without a loss
 * @param output     the model output
 * @param loss       the scalar loss, or {@code null} when built without a loss
 * @param weights    every weight input by Keras name, in Keras order
 * @param noise      dropout-mask inputs by name (training graphs only)
 * @param noiseSpecs how to draw each dropout mask
 * @param batchStats BatchNormalization batch statistics by the name of the moving weight they update
 *                   (training graphs only)
 * @param sampleWeight the per-sample loss weight input ({@code [batch]}, or {@code [batch, time]} for
 *                   sequence outputs), or {@code null} when the graph weighs every sample alike
 * @param weightPenalty the weight regularizers' part of {@code loss} (a scalar reading the weights
 *                   directly), or {@code null} when no weight has a regularizer; an engine that
 *                   differentiates some weights by hand (TensorFlow's fused LSTM) adds its gradient
 */
public record BuiltGraph<V>(
        V input,
        V target,
        V output,
        V loss,
        Map<String, V> weights,
        Map<String, V> noise,
        List<NoiseSpec> noiseSpecs,
        Map<String, V> batchStats,
        V sampleWeight,
        V weightPenalty) {

    /** A graph without weight regularizers. */
    public BuiltGraph(
            V input,
            V target,
            V output,
            V loss,
            Map<String, V> weights,
            Map<String, V> noise,
            List<NoiseSpec> noiseSpecs,
            Map<String, V> batchStats,
            V sampleWeight) {
        this(input, target, output, loss, weights, noise, noiseSpecs, batchStats, sampleWeight, null);
    }

    /** A graph without sample weights. */
    public BuiltGraph(
            V input,
            V target,
            V output,
            V loss,
            Map<String, V> weights,
            Map<String, V> noise,
            List<NoiseSpec> noiseSpecs,
            Map<String, V> batchStats) {
        this(input, target, output, loss, weights, noise, noiseSpecs, batchStats, null, null);
    }
}
