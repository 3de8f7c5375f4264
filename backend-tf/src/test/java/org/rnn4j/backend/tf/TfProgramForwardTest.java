package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.backend.tf.Fixtures.flat;
import static org.rnn4j.backend.tf.Fixtures.matrix;
import static org.rnn4j.backend.tf.Fixtures.maxAbsDiff;
import static org.rnn4j.backend.tf.Fixtures.rows;
import static org.rnn4j.backend.tf.Fixtures.sequence;
import static org.rnn4j.backend.tf.Fixtures.vector;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.backend.tf.Reference.Cell;

/** Forward passes of every layer type against {@link Reference}, the Keras equations in doubles. */
class TfProgramForwardTest {
    private static final double TOLERANCE = 1e-5;
    private static TfBackend backend;

    @BeforeAll
    static void open() {
        backend = new TfBackend(TfSessionOptions.defaults());
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Tensor predict(ModelSpec spec, WeightStore w, Tensor input) {
        try (Program p = backend.compile(spec)) {
            return p.predict(input, w);
        }
    }

    @Test
    void simpleRnnLastStepThenDense() {
        ModelSpec spec = Sequential.builder()
                .input(3, 2)
                .add(Layers.simpleRnn(2))
                .add(Layers.dense(1))
                .build();
        WeightStore w = Fixtures.weights(spec, 1, 0.8);
        Tensor x = Fixtures.floats(2, 1.0, 2, 3, 2);

        Tensor y = predict(spec, w, x);

        double[][] h = Reference.last(Reference.recurrent(
                Cell.SIMPLE,
                sequence(x),
                matrix(w, "simple_rnn/kernel"),
                matrix(w, "simple_rnn/recurrent_kernel"),
                matrix(w, "simple_rnn/bias"),
                false,
                null,
                null,
                null,
                Reference.TANH,
                null));
        double[][] expected = Reference.dense(h, matrix(w, "dense/kernel"), vector(w, "dense/bias"), Reference.LINEAR);
        assertArrayEquals(new int[] {2, 1}, y.shape());
        assertTrue(maxAbsDiff(y, flat(expected)) <= TOLERANCE, () -> "max diff " + maxAbsDiff(y, flat(expected)));
    }

    @Test
    void goBackwardsSequencesKeepProcessingOrderForEveryLength() {
        ModelSpec spec = Sequential.builder()
                .input(-1, 2)
                .add(Layers.simpleRnn(2).goBackwards(true).returnSequences(true).activation(Activation.RELU))
                .build();
        WeightStore w = Fixtures.weights(spec, 3, 0.9);
        try (TfProgram p = (TfProgram) TfBackendTest.unsplit(backend.compile(spec))) {
            for (int steps : new int[] {3, 5}) {
                Tensor x = Fixtures.floats(steps, 1.0, 2, steps, 2);
                Tensor y = p.predict(x, w);
                double[][][] expected = Reference.recurrent(
                        Cell.SIMPLE,
                        sequence(x),
                        matrix(w, "simple_rnn/kernel"),
                        matrix(w, "simple_rnn/recurrent_kernel"),
                        matrix(w, "simple_rnn/bias"),
                        true,
                        null,
                        null,
                        null,
                        Reference.RELU,
                        null);
                assertArrayEquals(new int[] {2, steps, 2}, y.shape());
                assertTrue(
                        maxAbsDiff(y, flat(expected)) <= TOLERANCE,
                        "steps " + steps + ": max diff " + maxAbsDiff(y, flat(expected)));
            }
            assertEquals(2, p.graphCount(), "one inference graph per sequence length");
            p.predict(Fixtures.floats(9, 1.0, 4, 3, 2), w);
            assertEquals(2, p.graphCount(), "another batch size reuses the graph of its length");
        }
    }

    @Test
    void lstmSequencesThroughTimeDistributedDense() {
        ModelSpec spec = Sequential.builder()
                .input(3, 2)
                .add(Layers.lstm(2).returnSequences(true))
                .add(Layers.timeDistributed(Layers.dense(1)))
                .build();
        WeightStore w = Fixtures.weights(spec, 4, 0.8);
        Tensor x = Fixtures.floats(5, 1.0, 2, 3, 2);

        Tensor y = predict(spec, w, x);

        double[][][] h = Reference.recurrent(
                Cell.LSTM,
                sequence(x),
                matrix(w, "lstm/kernel"),
                matrix(w, "lstm/recurrent_kernel"),
                matrix(w, "lstm/bias"),
                false,
                null,
                null,
                null,
                Reference.TANH,
                Reference.SIGMOID);
        double[][][] expected = Reference.dense(
                h, matrix(w, "time_distributed/kernel"), vector(w, "time_distributed/bias"), Reference.LINEAR);
        assertArrayEquals(new int[] {2, 3, 1}, y.shape());
        assertTrue(maxAbsDiff(y, flat(expected)) <= TOLERANCE, () -> "max diff " + maxAbsDiff(y, flat(expected)));
    }

    @Test
    void lstmWithKeras2HardSigmoidClips() {
        ModelSpec spec = Sequential.builder()
                .input(3, 2)
                .add(Layers.lstm(2).recurrentActivation(Activation.HARD_SIGMOID_KERAS2))
                .build();
        WeightStore w = Fixtures.weights(spec, 6, 2.0);
        Tensor x = Fixtures.floats(7, 4.0, 2, 3, 2);

        Tensor y = predict(spec, w, x);

        double[][] expected = Reference.last(Reference.recurrent(
                Cell.LSTM,
                sequence(x),
                matrix(w, "lstm/kernel"),
                matrix(w, "lstm/recurrent_kernel"),
                matrix(w, "lstm/bias"),
                false,
                null,
                null,
                null,
                Reference.TANH,
                Reference.HARD_SIGMOID_KERAS2));
        assertTrue(maxAbsDiff(y, flat(expected)) <= TOLERANCE, () -> "max diff " + maxAbsDiff(y, flat(expected)));
    }

    @ParameterizedTest(name = "resetAfter={0}")
    @ValueSource(booleans = {true, false})
    void gruBothResetVariants(boolean resetAfter) {
        ModelSpec spec = Sequential.builder()
                .input(3, 2)
                .add(Layers.gru(2).resetAfter(resetAfter))
                .add(Layers.dense(1))
                .build();
        WeightStore w = Fixtures.weights(spec, 8, 0.9);
        Tensor x = Fixtures.floats(9, 1.0, 2, 3, 2);

        Tensor y = predict(spec, w, x);

        assertArrayEquals(
                resetAfter ? new int[] {2, 6} : new int[] {6},
                w.spec("gru/bias").shapeArray());
        double[][] h = Reference.last(Reference.recurrent(
                resetAfter ? Cell.GRU_RESET_AFTER : Cell.GRU_RESET_BEFORE,
                sequence(x),
                matrix(w, "gru/kernel"),
                matrix(w, "gru/recurrent_kernel"),
                matrix(w, "gru/bias"),
                false,
                null,
                null,
                null,
                Reference.TANH,
                Reference.SIGMOID));
        double[][] expected = Reference.dense(h, matrix(w, "dense/kernel"), vector(w, "dense/bias"), Reference.LINEAR);
        assertTrue(maxAbsDiff(y, flat(expected)) <= TOLERANCE, () -> "max diff " + maxAbsDiff(y, flat(expected)));
    }

    @Test
    void embeddingWithMaskZeroSkipsPaddingSteps() {
        ModelSpec spec = Sequential.builder()
                .tokenInput(4)
                .add(Layers.embedding(5, 3).maskZero(true))
                .add(Layers.gru(2))
                .add(Layers.dense(3, Activation.SOFTMAX))
                .build();
        WeightStore w = Fixtures.weights(spec, 10, 0.9);
        int[] ids = {1, 2, 0, 0, 0, 3, 4, 1, 4, 0, 2, 0};
        Tensor x = Tensor.ofInts(ids, 3, 4);

        Tensor y = predict(spec, w, x);

        double[][] table = matrix(w, "embedding/embeddings");
        double[][][] e = new double[3][4][];
        double[][] mask = new double[3][4];
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 4; t++) {
                e[b][t] = table[ids[b * 4 + t]];
                mask[b][t] = ids[b * 4 + t] == 0 ? 0 : 1;
            }
        }
        double[][] h = Reference.last(Reference.recurrent(
                Cell.GRU_RESET_AFTER,
                e,
                matrix(w, "gru/kernel"),
                matrix(w, "gru/recurrent_kernel"),
                matrix(w, "gru/bias"),
                false,
                mask,
                null,
                null,
                Reference.TANH,
                Reference.SIGMOID));
        double[][] expected = Reference.softmax(
                Reference.dense(h, matrix(w, "dense/kernel"), vector(w, "dense/bias"), Reference.LINEAR));
        assertArrayEquals(new int[] {3, 3}, y.shape());
        assertTrue(maxAbsDiff(y, flat(expected)) <= TOLERANCE, () -> "max diff " + maxAbsDiff(y, flat(expected)));
    }

    @Test
    void bidirectionalConcatReReversesTheBackwardSequence() {
        ModelSpec spec = Sequential.builder()
                .input(3, 2)
                .add(Layers.bidirectional(Layers.lstm(2).returnSequences(true)))
                .build();
        WeightStore w = Fixtures.weights(spec, 11, 0.9);
        Tensor x = Fixtures.floats(12, 1.0, 2, 3, 2);

        Tensor y = predict(spec, w, x);

        String f = "bidirectional/forward_lstm/";
        String b = "bidirectional/backward_lstm/";
        double[][][] fwd = Reference.recurrent(
                Cell.LSTM,
                sequence(x),
                matrix(w, f + "kernel"),
                matrix(w, f + "recurrent_kernel"),
                matrix(w, f + "bias"),
                false,
                null,
                null,
                null,
                Reference.TANH,
                Reference.SIGMOID);
        double[][][] bwd = Reference.recurrent(
                Cell.LSTM,
                sequence(x),
                matrix(w, b + "kernel"),
                matrix(w, b + "recurrent_kernel"),
                matrix(w, b + "bias"),
                true,
                null,
                null,
                null,
                Reference.TANH,
                Reference.SIGMOID);
        double[][][] expected = Reference.concat(fwd, Reference.reverseTime(bwd));
        assertArrayEquals(new int[] {2, 3, 4}, y.shape());
        assertTrue(maxAbsDiff(y, flat(expected)) <= TOLERANCE, () -> "max diff " + maxAbsDiff(y, flat(expected)));
    }

    @Test
    void bidirectionalSumOfLastStates() {
        ModelSpec spec = Sequential.builder()
                .input(3, 2)
                .add(Layers.bidirectional(Layers.gru(2), MergeMode.SUM))
                .build();
        WeightStore w = Fixtures.weights(spec, 13, 0.9);
        Tensor x = Fixtures.floats(14, 1.0, 2, 3, 2);

        Tensor y = predict(spec, w, x);

        String f = "bidirectional/forward_gru/";
        String b = "bidirectional/backward_gru/";
        double[][] fwd = Reference.last(Reference.recurrent(
                Cell.GRU_RESET_AFTER,
                sequence(x),
                matrix(w, f + "kernel"),
                matrix(w, f + "recurrent_kernel"),
                matrix(w, f + "bias"),
                false,
                null,
                null,
                null,
                Reference.TANH,
                Reference.SIGMOID));
        double[][] bwd = Reference.last(Reference.recurrent(
                Cell.GRU_RESET_AFTER,
                sequence(x),
                matrix(w, b + "kernel"),
                matrix(w, b + "recurrent_kernel"),
                matrix(w, b + "bias"),
                true,
                null,
                null,
                null,
                Reference.TANH,
                Reference.SIGMOID));
        double[] expected = new double[4];
        for (int k = 0; k < 4; k++) {
            expected[k] = fwd[k / 2][k % 2] + bwd[k / 2][k % 2];
        }
        assertTrue(maxAbsDiff(y, expected) <= TOLERANCE, () -> "max diff " + maxAbsDiff(y, expected));
    }

    @Test
    void inferenceUsesMovingStatisticsAndNoDropout() {
        ModelSpec spec = Sequential.builder()
                .input(3)
                .add(Layers.dense(3, Activation.RELU))
                .add(Layers.batchNormalization())
                .add(Layers.dropout(0.5))
                .add(Layers.dense(2, Activation.SIGMOID))
                .build();
        WeightStore w = Fixtures.weights(spec, 15, 0.9);
        Tensor x = Fixtures.floats(16, 1.0, 4, 3);

        Tensor y = predict(spec, w, x);

        double[][] h = Reference.dense(rows(x), matrix(w, "dense/kernel"), vector(w, "dense/bias"), Reference.RELU);
        double[][] n = Reference.batchNorm(
                h,
                vector(w, "batch_normalization/moving_mean"),
                vector(w, "batch_normalization/moving_variance"),
                vector(w, "batch_normalization/gamma"),
                vector(w, "batch_normalization/beta"),
                1e-3);
        double[][] expected =
                Reference.dense(n, matrix(w, "dense_1/kernel"), vector(w, "dense_1/bias"), Reference.SIGMOID);
        assertTrue(maxAbsDiff(y, flat(expected)) <= TOLERANCE, () -> "max diff " + maxAbsDiff(y, flat(expected)));
    }
}
