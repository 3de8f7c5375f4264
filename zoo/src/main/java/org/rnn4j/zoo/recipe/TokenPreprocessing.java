package org.rnn4j.zoo.recipe;

import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.sampling.TemperatureSampler;

/** A fitted text preprocessing whose model writes text: characters ({@link TextPreprocessing}) or words ({@link WordPreprocessing}). */
public sealed interface TokenPreprocessing extends Preprocessing permits TextPreprocessing, WordPreprocessing {

    /** {@code character} or {@code word}. */
    String unit();

    /** An error naming what in {@code seed} the vocabulary cannot read, if anything (checked before any engine starts). */
    void checkSeed(String seed);

    /**
     * Exactly {@code length} tokens after {@code seed}, sampled with {@code sampler}; the same
     * {@code random} seed gives the same text.
     */
    String generate(
            String seed, int length, TemperatureSampler sampler, RandomGenerator random, UnaryOperator<Tensor> model);

    /** How the generated text follows the seed: nothing for characters, a space for words. */
    String separator();
}
