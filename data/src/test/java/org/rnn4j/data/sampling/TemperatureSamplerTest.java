package org.rnn4j.data.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TemperatureSamplerTest {
    private static final double[] P = {0.1, 0.2, 0.3, 0.4};

    @Test
    void temperatureZeroAndNearZeroAreArgmax() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            assertEquals(3, TemperatureSampler.greedy().sample(P, random));
            assertEquals(3, new TemperatureSampler(1e-6).sample(P, random));
        }
        // equal maxima: the first one
        assertEquals(1, TemperatureSampler.greedy().sample(new double[] {0.2, 0.4, 0.4}, random));
    }

    @Test
    void temperatureOneSamplesTheDistributionItself() {
        int[] counts = draw(new TemperatureSampler(1), 100_000);
        for (int i = 0; i < P.length; i++) {
            // binomial standard deviation at n = 1e5 is at most 0.0016; allow 4 of them
            assertEquals(P[i], counts[i] / 100_000.0, 0.0064, "index " + i);
        }
    }

    @Test
    void temperatureHalfSquaresTheProbabilities() {
        // exp(log(p) / 0.5) = p^2: 0.01, 0.04, 0.09, 0.16, normalised by 0.30
        double[] expected = {0.01 / 0.3, 0.04 / 0.3, 0.09 / 0.3, 0.16 / 0.3};
        int[] counts = draw(new TemperatureSampler(0.5), 100_000);
        for (int i = 0; i < P.length; i++) {
            assertEquals(expected[i], counts[i] / 100_000.0, 0.0064, "index " + i);
        }
    }

    @Test
    void aZeroProbabilityIsNeverDrawn() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 5_000; i++) {
            assertTrue(new TemperatureSampler(5).sample(new float[] {0.5f, 0f, 0.5f}, random) != 1);
        }
    }

    @Test
    void theSameSeedDrawsTheSameIndicesWithEitherGenerator() {
        TemperatureSampler s = new TemperatureSampler(0.8);
        Random a = new Random(7);
        Random b = new Random(7);
        SplittableRandom c = new SplittableRandom(7);
        SplittableRandom d = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            assertEquals(s.sample(P, a), s.sample(P, b));
            assertEquals(s.sample(P, c), s.sample(P, d));
        }
    }

    @Test
    void badTemperaturesAndVectorsAreRefused() {
        assertEquals(
                "sampling temperature must be finite and >= 0 (0 = argmax), got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new TemperatureSampler(-1))
                        .getMessage());
        SplittableRandom r = new SplittableRandom(1);
        assertEquals(
                "probability at index 1 is NaN; probabilities must be finite and >= 0 (did the model diverge?)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new TemperatureSampler(1).sample(new double[] {0.5, Double.NaN}, r))
                        .getMessage());
        assertEquals(
                "all 2 probabilities are 0; nothing to sample",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new TemperatureSampler(1).sample(new double[] {0, 0}, r))
                        .getMessage());
        assertEquals(
                "cannot sample from an empty probability vector",
                assertThrows(IllegalArgumentException.class, () -> new TemperatureSampler(1).sample(new double[0], r))
                        .getMessage());
    }

    private static int[] draw(TemperatureSampler sampler, int n) {
        SplittableRandom random = new SplittableRandom(12345);
        int[] counts = new int[P.length];
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(P, random)]++;
        }
        return counts;
    }
}
