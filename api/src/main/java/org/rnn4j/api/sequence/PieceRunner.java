package org.rnn4j.api.sequence;

import java.util.Collection;
import java.util.Map;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * What an engine does for the {@link SequenceDriver}: build a {@link Piece} with
 * {@link org.rnn4j.api.graph.ModelGraph#buildPiece} (once per piece, cached), run it forwards, and
 * run it forwards and backwards from seeded outputs. Names are those of
 * {@link org.rnn4j.api.graph.BuiltPiece}. Tensors are api tensors; the engine copies at its
 * boundary.
 */
public interface PieceRunner {

    /**
     * Runs {@code piece} forwards.
     *
     * @param inputs the fed inputs; only those the fetched outputs depend on are required
     * @param fetch  the outputs to return
     */
    Map<String, Tensor> forward(Piece piece, Map<String, Tensor> inputs, WeightStore weights, Collection<String> fetch);

    /**
     * Runs {@code piece} forwards, then backwards from {@code seeds}: for every output named in
     * the piece's seeds, the gradient of the loss with respect to it ({@code loss}'s is the scalar
     * 1).
     *
     * @param fetch forward outputs to return as well
     */
    Gradients backward(
            Piece piece,
            Map<String, Tensor> inputs,
            WeightStore weights,
            Map<String, Tensor> seeds,
            Collection<String> fetch);

    /**
     * @param outputs the fetched forward outputs
     * @param weights the gradient of every trainable weight the piece reads (a weight it does not
     *                reach may be absent: zero)
     * @param inputs  the gradient of every differentiable input of the piece
     */
    record Gradients(Map<String, Tensor> outputs, Map<String, Tensor> weights, Map<String, Tensor> inputs) {}
}
