package org.rnn4j.api.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rnn4j.api.graph.ModelGraph.Mode;
import org.rnn4j.api.layers.BatchNormalizationSpec;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.DenseSpec;
import org.rnn4j.api.layers.DropoutSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.layers.LayerSpec;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.TimeDistributedSpec;
import org.rnn4j.api.model.LayerInfo;
import org.rnn4j.api.model.ModelSpec;

/**
 * How a model runs over a sequence in chunks of a few steps, with graphs whose size does not
 * depend on the sequence length: the layers split into <em>stages</em> and a <em>head</em>.
 *
 * <p>A stage is a run of layers that can be computed chunk by chunk, carrying the recurrent states
 * from one chunk to the next: layers that act on each time step alone (Embedding, Dense,
 * TimeDistributed, Dropout, BatchNormalization at inference) and recurrent layers that read their
 * input in time order. Every chunk of a stage runs through one piece ({@link ModelGraph#buildPiece})
 * that takes each recurrent direction's state at the chunk's entry and returns it at the exit.
 * Two layer kinds read time backwards and shape the stages:
 * <ul>
 * <li>a {@code go_backwards} layer leads a <em>reversed</em> stage of its own (with the per-step
 * layers before it): its chunks are visited last to first, and its sequence output comes in
 * reversed time order, as Keras returns it, so the stage ends right after it;
 * <li>a Bidirectional layer leads a stage: its backward direction is computed first in a reverse
 * <em>pre-pass</em> that saves only its state at each chunk boundary; then the stage runs forwards,
 * each chunk recomputing the backward direction from the saved state, so the merged output is in
 * time order and the following layers join the stage.
 * </ul>
 * Between stages the sequence is materialised ({@code [batch, time, features]}, with its padding
 * mask). A recurrent layer without {@code return_sequences} ends the last stage; the layers after
 * it form the head, which reads that layer's last output (both directions' for a Bidirectional).
 *
 * <p>A model with no recurrent layer, with a layer this plan does not know, or with
 * BatchNormalization over time steps in training (its statistics span the whole sequence) has no
 * plan: it always runs as one graph over the whole sequence.
 */
public final class SequencePlan {

    /**
     * One recurrent direction: a recurrent layer, or one half of a Bidirectional.
     *
     * @param prefix   the weight prefix ({@code lstm}, {@code bidirectional/backward_lstm})
     * @param cell     the recurrent layer
     * @param backward whether it reads its chunk last step first ({@code go_backwards} or a Bidirectional's backward half)
     * @param prePass  whether its states come from the stage's reverse pre-pass
     */
    public record Direction(String prefix, RecurrentSpec cell, boolean backward, boolean prePass) {
        /** The names of its state tensors, {@code [batch, units]} each: {@code <prefix>/h} (and {@code <prefix>/c} for an LSTM). */
        public List<String> states() {
            return cell instanceof LstmSpec ? List.of(prefix + "/h", prefix + "/c") : List.of(prefix + "/h");
        }

        public int units() {
            return cell.units();
        }
    }

    /** What a stage hands on. */
    public enum Output {
        /** A sequence {@code [batch, time, features]}: the next stage's input, or the model output. */
        SEQUENCE,
        /** The last outputs of a recurrent layer without {@code return_sequences}: the head's input. */
        FINAL
    }

    /**
     * A run of layers {@code [from, to)} computed chunk by chunk.
     *
     * @param reversed       whether its chunks are visited last to first (a leading {@code go_backwards} layer)
     * @param directions     its recurrent directions in layer order
     * @param output         what it hands on
     * @param outputFeatures the last axis of its sequence output, or of each final output
     * @param inputMasked    whether a padding mask arrives with its input (materialised for a later stage)
     * @param outputMasked   whether its sequence output carries a padding mask
     * @param lastRecurrent  index of its last recurrent layer; layers after it are the stage's "head layers"
     */
    public record Stage(
            int index,
            int from,
            int to,
            boolean reversed,
            List<Direction> directions,
            Output output,
            int outputFeatures,
            boolean inputMasked,
            boolean outputMasked,
            int lastRecurrent) {
        public Stage {
            directions = List.copyOf(directions);
        }

        /** The directions of the main pass (all but the pre-pass one). */
        public List<Direction> main() {
            return directions.stream().filter(d -> !d.prePass()).toList();
        }

        /** The direction of the reverse pre-pass (a leading Bidirectional's backward half), if any. */
        public Optional<Direction> prePass() {
            return directions.stream().filter(Direction::prePass).findFirst();
        }

        /** The state names whose exits feed the head (FINAL stages): each direction of the last layer. */
        public List<String> finals() {
            if (output != Output.FINAL) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            String last = directions.get(directions.size() - 1).prefix();
            for (Direction d : directions) {
                if (sameLayer(d.prefix(), last)) {
                    out.add(d.prefix() + "/h");
                }
            }
            return out;
        }

        private static boolean sameLayer(String a, String b) {
            return layerOf(a).equals(layerOf(b));
        }

        private static String layerOf(String prefix) {
            int slash = prefix.indexOf('/');
            return slash < 0 ? prefix : prefix.substring(0, slash);
        }

        /** Every state name of every direction, in direction order. */
        public List<String> states() {
            return directions.stream().flatMap(d -> d.states().stream()).toList();
        }
    }

    private final List<Stage> stages;
    private final int headFrom;
    private final int layerCount;

    private SequencePlan(List<Stage> stages, int headFrom, int layerCount) {
        this.stages = List.copyOf(stages);
        this.headFrom = headFrom;
        this.layerCount = layerCount;
    }

    public List<Stage> stages() {
        return stages;
    }

    public Stage stage(int index) {
        return stages.get(index);
    }

    public Stage last() {
        return stages.get(stages.size() - 1);
    }

    /** Whether the last stage ends in final outputs that a head reads (else the model output is a sequence). */
    public boolean hasHead() {
        return last().output() == Output.FINAL;
    }

    /** The index of the head's first layer ({@code layerCount} when the head is only the merge or nothing). */
    public int headFrom() {
        return headFrom;
    }

    public int layerCount() {
        return layerCount;
    }

    /**
     * Whether the model can run step by step with its state carried between calls: one stage, every
     * direction reading forwards (no {@code go_backwards}, no Bidirectional).
     */
    public boolean streamable() {
        return stages.size() == 1
                && !stages.get(0).reversed()
                && stages.get(0).directions().stream().noneMatch(Direction::backward);
    }

    /** Every state name of every stage. */
    public List<String> states() {
        return stages.stream().flatMap(s -> s.states().stream()).toList();
    }

    /** The plan of {@code spec} in {@code mode}, or empty when it must run as one whole-sequence graph. */
    public static Optional<SequencePlan> of(ModelSpec spec, Mode mode) {
        return Optional.ofNullable(plan(spec, mode, new String[1]));
    }

    /** Why {@code spec} has no plan in {@code mode}, or empty when it has one. */
    public static Optional<String> whyNot(ModelSpec spec, Mode mode) {
        String[] why = new String[1];
        return plan(spec, mode, why) == null ? Optional.of(why[0]) : Optional.empty();
    }

    private static SequencePlan plan(ModelSpec spec, Mode mode, String[] why) {
        List<LayerInfo> infos = spec.layerInfos();
        List<Stage> stages = new ArrayList<>();
        Builder current = new Builder(0, 0, false);
        boolean anyRecurrent = false;
        for (int i = 0; i < infos.size(); i++) {
            LayerInfo info = infos.get(i);
            LayerSpec layer = info.layer();
            boolean sequenceIn = info.inputShape().size() == 2 || layer instanceof EmbeddingSpec;
            if (!sequenceIn) {
                why[0] = "layer '" + info.name() + "' reads no time axis before any recurrent layer ended one";
                return null;
            }
            if (layer instanceof RecurrentSpec r) {
                anyRecurrent = true;
                if (r.goBackwards()) {
                    if (current.hasDirections()) {
                        stages.add(current.close(i, Output.SEQUENCE, infos));
                        current = new Builder(stages.size(), i, info.masked());
                    }
                    current.reversed = true;
                    current.add(new Direction(info.name(), r, true, false), i);
                    if (!r.returnSequences()) {
                        stages.add(current.close(i + 1, Output.FINAL, infos));
                        return finish(stages, i + 1, infos, why);
                    }
                    // A reversed stage ends after its go_backwards layer: what follows reads reversed time.
                    stages.add(current.close(i + 1, Output.SEQUENCE, infos));
                    current = new Builder(stages.size(), i + 1, info.masked());
                    continue;
                }
                if (current.reversed) {
                    stages.add(current.close(i, Output.SEQUENCE, infos));
                    current = new Builder(stages.size(), i, info.masked());
                }
                current.add(new Direction(info.name(), r, false, false), i);
                if (!r.returnSequences()) {
                    stages.add(current.close(i + 1, Output.FINAL, infos));
                    return finish(stages, i + 1, infos, why);
                }
            } else if (layer instanceof BidirectionalSpec b) {
                anyRecurrent = true;
                if (current.hasDirections() || current.reversed) {
                    stages.add(current.close(i, Output.SEQUENCE, infos));
                    current = new Builder(stages.size(), i, info.masked());
                }
                String inner = b.innerName();
                current.add(new Direction(info.name() + "/forward_" + inner, b.layer(), false, false), i);
                current.add(new Direction(info.name() + "/backward_" + inner, b.layer(), true, true), i);
                if (!b.layer().returnSequences()) {
                    stages.add(current.close(i + 1, Output.FINAL, infos));
                    return finish(stages, i + 1, infos, why);
                }
            } else if (layer instanceof BatchNormalizationSpec) {
                if (mode == Mode.TRAINING) {
                    why[0] = "BatchNormalization '" + info.name()
                            + "' takes its training statistics over every time step of the batch";
                    return null;
                }
            } else if (!(layer instanceof EmbeddingSpec
                    || layer instanceof DenseSpec
                    || layer instanceof TimeDistributedSpec
                    || layer instanceof DropoutSpec)) {
                why[0] = "layer '" + info.name() + "' (" + layer.typeName() + ") is not known to run in chunks";
                return null;
            }
        }
        if (!anyRecurrent) {
            why[0] = "the model has no recurrent layer";
            return null;
        }
        if (current.from < infos.size()) {
            // (A go_backwards layer at the very end already closed its stage.)
            stages.add(current.close(infos.size(), Output.SEQUENCE, infos));
        }
        return new SequencePlan(stages, infos.size(), infos.size());
    }

    /** The layers after a final output form the head: they must not read a time axis. */
    private static SequencePlan finish(List<Stage> stages, int headFrom, List<LayerInfo> infos, String[] why) {
        for (int i = headFrom; i < infos.size(); i++) {
            LayerInfo info = infos.get(i);
            LayerSpec l = info.layer();
            if (!(l instanceof DenseSpec || l instanceof DropoutSpec || l instanceof BatchNormalizationSpec)) {
                why[0] = "layer '" + info.name() + "' (" + l.typeName() + ") after the last recurrent output "
                        + "is not known to run on it";
                return null;
            }
        }
        return new SequencePlan(stages, headFrom, infos.size());
    }

    /** A stage under construction. */
    private static final class Builder {
        final int index;
        final int from;
        final boolean inputMasked;
        final List<Direction> directions = new ArrayList<>();
        boolean reversed;
        int lastRecurrent = -1;

        Builder(int index, int from, boolean inputMasked) {
            this.index = index;
            this.from = from;
            this.inputMasked = inputMasked;
        }

        boolean hasDirections() {
            return !directions.isEmpty();
        }

        void add(Direction d, int layer) {
            directions.add(d);
            lastRecurrent = layer;
        }

        /** Closes the stage before layer {@code to}. */
        Stage close(int to, Output output, List<LayerInfo> infos) {
            LayerInfo lastIn = infos.get(to - 1);
            List<Integer> out = lastIn.outputShape();
            int features = output == Output.FINAL ? finalFeatures(lastIn) : out.get(out.size() - 1);
            boolean outputMasked = output == Output.SEQUENCE
                    && to < infos.size()
                    && infos.get(to).masked();
            if (output == Output.SEQUENCE && to == infos.size()) {
                outputMasked = false;
            }
            return new Stage(
                    index, from, to, reversed, directions, output, features, inputMasked, outputMasked, lastRecurrent);
        }

        private static int finalFeatures(LayerInfo info) {
            if (info.layer() instanceof BidirectionalSpec b) {
                return b.layer().units();
            }
            return ((RecurrentSpec) info.layer()).units();
        }
    }
}
