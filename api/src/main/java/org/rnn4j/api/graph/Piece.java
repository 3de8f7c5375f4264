package org.rnn4j.api.graph;

import org.rnn4j.api.graph.ModelGraph.Mode;

/**
 * One piece of a model's {@link SequencePlan}: a stage over a chunk of {@code steps} time steps,
 * or the head. Engines build it with {@link ModelGraph#buildPiece} and cache it by this key; its
 * graph does not depend on the length of the sequence it is part of.
 *
 * @param mode     training (dropout masks read) or inference
 * @param withLoss whether it computes its part of the loss (the last stage of a sequence-output
 *                 model, or the head)
 * @param stage    the stage index, or {@link #HEAD}
 * @param steps    the chunk length (0 for the head)
 * @param weighted whether its loss reads a {@code sample_weight} input (Keras's sample weights,
 *                 sliced to the chunk's steps for a sequence output)
 */
public record Piece(ModelGraph.Mode mode, boolean withLoss, int stage, int steps, boolean weighted) {
    public static final int HEAD = -1;

    public Piece {
        if (mode == null) {
            throw new IllegalArgumentException("piece.mode must be set");
        }
        if (stage == HEAD ? steps != 0 : stage < 0 || steps < 1) {
            throw new IllegalArgumentException(
                    "a piece is a stage (index >= 0) over steps >= 1, or the head over 0 steps; got stage " + stage
                            + ", steps " + steps);
        }
        if (mode == Mode.TRAINING && !withLoss && stage == HEAD) {
            throw new IllegalArgumentException("a training head always has its loss");
        }
        if (weighted && !withLoss) {
            throw new IllegalArgumentException("only a piece with its loss reads sample weights");
        }
    }

    public static Piece head(Mode mode, boolean withLoss) {
        return new Piece(mode, withLoss, HEAD, 0, false);
    }

    public static Piece stage(Mode mode, boolean withLoss, int stage, int steps) {
        return new Piece(mode, withLoss, stage, steps, false);
    }

    /** This piece with its loss weighted per sample. */
    public Piece weightedBySample() {
        return new Piece(mode, withLoss, stage, steps, true);
    }

    public boolean isHead() {
        return stage == HEAD;
    }

    @Override
    public String toString() {
        return (mode == Mode.TRAINING ? "training" : withLoss ? "evaluation" : "inference")
                + (isHead() ? " head" : " piece of stage " + stage + " over " + steps + " steps")
                + (weighted ? ", samples weighted" : "");
    }
}
