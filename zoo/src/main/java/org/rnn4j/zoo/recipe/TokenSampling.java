package org.rnn4j.zoo.recipe;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.sampling.TemperatureSampler;

/**
 * The one place where a next-token model writes text, for characters and words alike: the last
 * {@code sequenceLength} ids (left-padded) go to the model, the next id is drawn from its
 * probabilities of the last step, appended, and the window slides on. Ids the vocabulary cannot
 * print (padding, words beyond a small text's vocabulary) are never drawn.
 */
final class TokenSampling {
    private TokenSampling() {}

    /**
     * @param context  the seed's ids
     * @param padding  the id the window is left-padded with
     * @param vocab    the vocabulary's size; the model may output more classes (never drawn)
     * @param printable how many ids from 0 the vocabulary can print; ids at or above it are never drawn
     * @param skip     an id never drawn (the padding of word models), or -1
     * @param encode   one window of ids to one model input
     * @param model    one input to probabilities {@code [1, vocab]} or {@code [1, time, vocab]}
     */
    static int[] sample(
            int[] context,
            int sequenceLength,
            int padding,
            int vocab,
            int printable,
            int skip,
            int length,
            TemperatureSampler sampler,
            RandomGenerator random,
            Function<int[], Tensor> encode,
            UnaryOperator<Tensor> model) {
        if (length < 0) {
            throw new IllegalArgumentException("generate length must be >= 0, got " + length);
        }
        int[] window = new int[sequenceLength];
        Arrays.fill(window, padding);
        int n = Math.min(context.length, sequenceLength);
        System.arraycopy(context, context.length - n, window, sequenceLength - n, n);
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            float[] p = lastStep(model.apply(encode.apply(window.clone())), vocab);
            for (int id = printable; id < p.length; id++) {
                p[id] = 0;
            }
            if (skip >= 0) {
                p[skip] = 0;
            }
            int next = sampler.sample(p, random);
            out[i] = next;
            System.arraycopy(window, 1, window, 0, sequenceLength - 1);
            window[sequenceLength - 1] = next;
        }
        return out;
    }

    /**
     * The probabilities of the last time step of a {@code [1, classes]} or {@code [1, time, classes]}
     * output; a model may have more classes than the vocabulary (a spec sized generously), not fewer.
     */
    static float[] lastStep(Tensor probs, int vocab) {
        float[] all = probs.floatView();
        int classes = probs.shape()[probs.rank() - 1];
        if (classes < vocab || all.length < classes) {
            throw new IllegalArgumentException("the model outputs shape " + Arrays.toString(probs.shape())
                    + " but the vocabulary has " + vocab + " tokens; was it trained with another vocabulary?");
        }
        return Arrays.copyOfRange(all, all.length - classes, all.length);
    }
}
