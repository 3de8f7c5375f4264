package org.rnn4j.api.graph;

import java.util.List;
import java.util.Map;

/**
 * What {@link ModelGraph#buildPiece} produced in an engine's graph. Names:
 * <ul>
 * <li>inputs: {@code input} (the chunk of the stage's input: the model input's
 * {@code [batch, steps, ...]}, or the previous stage's sequence), {@code mask} (its padding mask
 * {@code [batch, steps]}, when one arrives from a previous stage), {@code target},
 * {@code loss_scale} (a scalar the chunk's mean loss is multiplied by: the chunk's share of the
 * sequence), the dropout masks, every recurrent state at the chunk's entry ({@code <prefix>/h},
 * {@code <prefix>/c}); a head reads the final states of the last recurrent layer under their names;
 * <li>outputs: {@code output}, {@code mask}, {@code loss}, every recurrent state at the chunk's
 * exit under the same names as the entries, and BatchNormalization batch statistics by the name of
 * the moving weight they update.
 * </ul>
 *
 * @param seeds          the outputs a backward pass starts from (their gradients are fed; the
 *                       loss's is 1), in order
 * @param differentiable the inputs whose gradients a backward pass returns, in order
 * @param noise          the dropout masks it reads, with this piece's shapes (a mask over time steps
 *                       has {@code [steps, features]})
 */
public record BuiltPiece<V>(
        Map<String, V> inputs,
        Map<String, V> outputs,
        List<String> seeds,
        List<String> differentiable,
        Map<String, V> weights,
        List<NoiseSpec> noise) {
    public BuiltPiece {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
        seeds = List.copyOf(seeds);
        differentiable = List.copyOf(differentiable);
        weights = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weights));
        noise = List.copyOf(noise);
    }
}
