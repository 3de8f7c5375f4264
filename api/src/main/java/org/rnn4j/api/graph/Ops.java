package org.rnn4j.api.graph;

import java.util.List;
import java.util.Optional;
import org.rnn4j.api.tensor.DType;

/**
 * The few symbolic operations every engine offers, as Keras 3's {@code keras.ops}: the layer
 * math in {@link ModelGraph} is written once against this interface and each backend implements
 * it with its own graph (TensorFlow ops; recorded ND4J ops). Values are symbolic, of the engine's
 * type {@code V}; shapes use -1 for the batch (or an unknown) dimension. Element-wise binary ops
 * broadcast numpy-style. Every op must be differentiable by the engine, except the int-input ops
 * {@link #oneHot} and {@link #notEqualZero}.
 *
 * @param <V> the engine's symbolic value type
 */
public interface Ops<V> {

    /** A fed input (data, targets, dropout masks). */
    V placeholder(String name, DType dtype, int... shape);

    /** A fed, differentiable weight with a fully known shape. */
    V weight(String name, int... shape);

    /** A float32 scalar constant. */
    V scalar(float value);

    /** {@code [n, k] x [k, m] -> [n, m]}. */
    V matmul(V a, V b);

    V add(V a, V b);

    V sub(V a, V b);

    V mul(V a, V b);

    V div(V a, V b);

    V minimum(V a, V b);

    V maximum(V a, V b);

    V tanh(V x);

    V sigmoid(V x);

    V relu(V x);

    V exp(V x);

    V log(V x);

    V abs(V x);

    V square(V x);

    V sqrt(V x);

    /** {@code log(1 + exp(x))}. */
    V softplus(V x);

    /** Softmax over the last axis. */
    V softmax(V x);

    /** {@code x} restricted to {@code [begin, begin + size)} along {@code axis}; the rank is kept. */
    V slice(V x, int axis, int begin, int size);

    V concat(List<V> xs, int axis);

    /**
     * {@code x} cut into {@code parts} equal pieces along {@code axis} (rank kept). Its gradient is
     * one concatenation, where {@code parts} slices would each pad a full-size gradient.
     */
    List<V> split(V x, int axis, int parts);

    /**
     * The {@code count} slices of {@code x} along {@code axis}, that axis removed: the per-step
     * inputs of an unrolled recurrence. Its gradient is one stack, not {@code count} padded copies.
     */
    List<V> unstack(V x, int axis, int count);

    /** Stacks equal-shaped values along a new axis. */
    V stack(List<V> xs, int axis);

    /** The axes of {@code x} permuted: output axis {@code i} is input axis {@code perm[i]}. */
    V transpose(V x, int... perm);

    /** A new shape with the same element count; one dimension may be -1. */
    V reshape(V x, int... shape);

    /** Rows of {@code table [vocab, dim]} picked by int {@code ids [...]}: {@code [..., dim]}. */
    V gather(V table, V ids);

    /** Float one-hot of int ids: {@code [...] -> [..., depth]}. */
    V oneHot(V ids, int depth);

    /** Float 1 where the int id is not 0, else 0 (padding masks). */
    V notEqualZero(V ids);

    /** Sum over {@code axis} (-1 = the last axis). */
    V sum(V x, int axis, boolean keepDims);

    /** Mean over {@code axis} (-1 = the last axis). */
    V mean(V x, int axis, boolean keepDims);

    /** Mean over every element: a scalar. */
    V meanAll(V x);

    /**
     * Maximum over {@code axis} (-1 = the last axis). Its gradient is TensorFlow's: shared equally
     * by the elements that equal the maximum.
     */
    V max(V x, int axis, boolean keepDims);

    /**
     * {@code x} with {@code before} and {@code after} entries of {@code value} added along
     * {@code axis} (Keras's zero padding when {@code value} is 0). Its gradient is the slice of the
     * incoming gradient that covers {@code x}.
     */
    V pad(V x, int axis, int before, int after, float value);

    /**
     * Float 1 where {@code x != value}, else 0: a mask (Keras's {@code Masking}). Not
     * differentiable: it is a constant for the gradient, as a comparison is in TensorFlow.
     */
    V notEqual(V x, float value);

    /** A float32 constant array of {@code shape} (fully known), values in row-major order. */
    V constant(float[] values, int... shape);

    /**
     * How {@link ModelGraph} builds the steps of the recurrent layer (or Bidirectional direction)
     * named {@code layer}. The default, {@link StepForm#FUSED}, offers every qualifying layer to
     * {@link #lstm}, {@link #gru} or {@link #simpleRnn} and hoists the input projection of
     * everything else; an engine that times the forms per shape (TensorFlow's autotuning) answers
     * with the measured winner.
     */
    default StepForm stepForm(String layer, org.rnn4j.api.layers.RecurrentSpec spec) {
        return StepForm.FUSED;
    }

    /**
     * An optional fused LSTM layer, which an engine may offer to replace the unrolled recurrence
     * {@link ModelGraph} otherwise builds from the ops above (one fused op has far less per-op
     * overhead than some ten ops per time step). {@link ModelGraph} asks for it only for a forward
     * (not {@code go_backwards}) LSTM with the standard activations and neither a mask nor recurrent
     * dropout; anything else is unrolled.
     *
     * <p>Semantics (Keras, gate blocks in the order i, f, c, o along the last axis of the weights):
     * {@code z = x_t.kernel + h'.recurrentKernel + bias}; {@code i, f, o = sigmoid(z_i, z_f, z_o)};
     * {@code c = f*c' + i*tanh(z_c)}; {@code h = o*tanh(c)}; the initial {@code h'} and {@code c'}
     * are {@link LstmCall#initialH} and {@link LstmCall#initialC}, or zero when those are null. The
     * results must be differentiable with respect to {@code x}, the three weights and the initial
     * states.
     *
     * @return the output and, when {@link LstmCall#returnStates}, the last hidden and cell states;
     *         empty when the engine has no fused LSTM for this call (the default), and then the
     *         caller unrolls the recurrence
     */
    default Optional<FusedLstm<V>> lstm(LstmCall<V> call) {
        return Optional.empty();
    }

    /**
     * The arguments of {@link #lstm}.
     *
     * @param x               {@code [batch, time, features]} (batch-major)
     * @param kernel          {@code [features, 4*units]}
     * @param recurrentKernel {@code [units, 4*units]}
     * @param bias            {@code [4*units]}, or {@code null} for none
     * @param returnSequences whether the output is every step's {@code h} {@code [batch, time, units]}
     *                        or the last step's {@code [batch, units]}
     * @param initialH        the state before the first step {@code [batch, units]}, or null for zeros
     * @param initialC        likewise for the cell state (both null or both set)
     * @param returnStates    whether the caller needs the last {@code h} and {@code c} as values
     */
    record LstmCall<V>(
            V x,
            V kernel,
            V recurrentKernel,
            V bias,
            int units,
            boolean returnSequences,
            V initialH,
            V initialC,
            boolean returnStates) {
        public LstmCall {
            if ((initialH == null) != (initialC == null)) {
                throw new IllegalArgumentException("an LSTM's initial h and c are both given or both zero");
            }
        }
    }

    /**
     * An optional fused SimpleRNN layer, offered like {@link #lstm} (forward, {@code tanh}, no mask,
     * no recurrent dropout): {@code h = tanh(x_t.kernel + bias + h'.recurrentKernel)} from
     * {@link RnnCall#initialH} (or zeros). Differentiable with respect to {@code x}, the weights and
     * the initial state.
     *
     * @return the output and, when {@link RnnCall#returnStates}, the last state; empty (the default)
     *         when the engine unrolls the layer
     */
    default Optional<FusedRnn<V>> simpleRnn(RnnCall<V> call) {
        return Optional.empty();
    }

    /**
     * An optional fused GRU layer, offered like {@link #lstm} (forward, {@code tanh} and
     * {@code sigmoid}, no mask, no recurrent dropout). Keras semantics, gate blocks z, r, h along
     * the last axis of the weights:
     * <pre>
     * reset_after=false (bias [3*units]):    hh = tanh(x.W_h + b_h + (r*h').U_h)
     * reset_after=true  (bias [2, 3*units]): hh = tanh(x.W_h + b0_h + r*(h'.U_h + b1_h))
     * z, r = sigmoid of (x.W + b0 + h'.U + b1) in their blocks (b1 only with reset_after)
     * h = z*h' + (1-z)*hh
     * </pre>
     *
     * @return as {@link #simpleRnn}
     */
    default Optional<FusedRnn<V>> gru(RnnCall<V> call, boolean resetAfter) {
        return Optional.empty();
    }

    /**
     * The arguments of {@link #simpleRnn} and {@link #gru}: as {@link LstmCall}, without a cell
     * state. {@code bias} is {@code [gates*units]} ({@code [2, 3*units]} for a GRU with
     * {@code reset_after}) or null.
     */
    record RnnCall<V>(
            V x,
            V kernel,
            V recurrentKernel,
            V bias,
            int units,
            boolean returnSequences,
            V initialH,
            boolean returnStates) {}

    /**
     * What a fused SimpleRNN or GRU returns.
     *
     * @param output the output ({@code [batch, time, units]} or {@code [batch, units]})
     * @param lastH  the last hidden state {@code [batch, units]}, null unless asked for
     */
    record FusedRnn<V>(V output, V lastH) {}

    /**
     * What a fused LSTM returns.
     *
     * @param output the output ({@code [batch, time, units]} or {@code [batch, units]})
     * @param lastH  the last hidden state {@code [batch, units]}, null unless asked for
     * @param lastC  the last cell state {@code [batch, units]}, null unless asked for
     */
    record FusedLstm<V>(V output, V lastH, V lastC) {}
}
