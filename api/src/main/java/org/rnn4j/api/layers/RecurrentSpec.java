package org.rnn4j.api.layers;

/**
 * The recurrent layers: input {@code [batch, time, features]}, output {@code [batch, units]} or,
 * with {@code returnSequences}, {@code [batch, time, units]}.
 */
public sealed interface RecurrentSpec extends LayerSpec permits SimpleRnnSpec, LstmSpec, GruSpec {

    int units();

    RecurrentOptions options();

    /** The same layer with other options. */
    RecurrentSpec withOptions(RecurrentOptions options);

    @Override
    RecurrentSpec withName(String name);

    /** Gate blocks in the kernel: 1 (SimpleRNN), 4 (LSTM: i, f, c, o), 3 (GRU: z, r, h). */
    int gateCount();

    default boolean returnSequences() {
        return options().returnSequences();
    }

    default boolean goBackwards() {
        return options().goBackwards();
    }

    default RecurrentSpec returnSequences(boolean value) {
        return withOptions(options().withReturnSequences(value));
    }

    default RecurrentSpec goBackwards(boolean value) {
        return withOptions(options().withGoBackwards(value));
    }

    default RecurrentSpec activation(Activation value) {
        return withOptions(options().withActivation(value));
    }

    default RecurrentSpec recurrentActivation(Activation value) {
        return withOptions(options().withRecurrentActivation(value));
    }

    default RecurrentSpec useBias(boolean value) {
        return withOptions(options().withUseBias(value));
    }

    default RecurrentSpec dropout(double rate) {
        return withOptions(options().withDropout(rate));
    }

    default RecurrentSpec recurrentDropout(double rate) {
        return withOptions(options().withRecurrentDropout(rate));
    }
}
