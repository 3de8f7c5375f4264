package org.rnn4j.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The fixed workloads of issue 8. Sizes never change between commits, so numbers compare; the
 * {@code small} sizes exist only for the smoke test.
 */
public enum Workload {
    /** The article's model: windows {@code [32, 50, 1]} -> SimpleRNN(10) -> Dense(1), Adam, MSE, 4,000 windows per epoch. */
    W1("W1"),
    /** The same windows -> LSTM(50, returnSequences) -> LSTM(50) -> Dense(1). */
    W1B("W1b"),
    /** Token ids {@code [64, 100]}, vocabulary 65 -> Embedding(65, 64) -> LSTM(256, seq) -> Dense(65, softmax) per step, sparse CE, 64 batches per epoch. */
    W2("W2"),
    /** Inference: one window and 1,024 windows through W1b's model; one generated character through W2's model. */
    P("P"),
    /**
     * W2's generation step of rnn4j-tf and of every hand-written TensorFlow form, interleaved round by round in one
     * JVM, so a ratio of a few percent is not lost in the machine's drift between JVMs.
     */
    GEN("gen"),
    /** The machine's limit: a 2048 x 2048 x 2048 float matmul. */
    MATMUL("matmul");

    private final String id;

    Workload(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Workload parse(String s) {
        for (Workload w : values()) {
            if (w.id.equalsIgnoreCase(s)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + s + "'; known: "
                + Arrays.stream(values()).map(Workload::id).toList());
    }

    /** Whether this is a training workload (W1, W1b, W2). */
    public boolean isTraining() {
        return this == W1 || this == W1B || this == W2;
    }

    /** Training sizes of a training workload (W1, W1b, W2). */
    public Sizes sizes(boolean small) {
        return switch (this) {
            case W1 -> small ? new Sizes(4, 6, 3, 4, 0, 0) : new Sizes(32, 50, 125, 10, 0, 0);
            case W1B -> small ? new Sizes(4, 6, 3, 5, 0, 0) : new Sizes(32, 50, 125, 50, 0, 0);
            case W2 -> small ? new Sizes(4, 7, 3, 16, 65, 8) : new Sizes(64, 100, 64, 256, 65, 64);
            case P, GEN, MATMUL -> throw new IllegalStateException(id + " is not a training workload");
        };
    }

    /**
     * Training FLOPs per sample: forward matmul FLOPs times 3 (the backward pass of a matmul is two
     * matmuls of the same size, one for the input gradient and one for the weight gradient).
     * Element-wise ops, the embedding gather and the optimizer are not counted. See BENCHMARKS.md.
     */
    public long trainingFlopsPerSample(boolean small) {
        return 3 * forwardFlopsPerSample(small);
    }

    /** Forward (inference) matmul FLOPs per sample of a training workload's model. */
    public long forwardFlopsPerSample(boolean small) {
        Sizes s = sizes(small);
        long t = s.steps();
        long u = s.units();
        long forward = switch (this) {
            // SimpleRNN: x.W [1 x u] + h.U [u x u] per step; Dense(1) on the last step.
            case W1 -> t * 2 * (1 * u + u * u) + 2 * u;
            // LSTM(u) on 1 feature, LSTM(u) on u features (4 gates each), Dense(1) on the last step.
            case W1B -> t * 2 * (1 * 4 * u + u * 4 * u) + t * 2 * (u * 4 * u + u * 4 * u) + 2 * u;
            // LSTM(u) on the embedding, Dense(vocab) at every step.
            case W2 -> t * 2 * ((long) s.embedding() * 4 * u + u * 4 * u) + t * 2 * u * s.vocab();
            case P, GEN, MATMUL -> throw new IllegalStateException(id + " is not a training workload");
        };
        return forward;
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }

    /**
     * @param batch           samples per batch
     * @param steps           time steps per sample
     * @param batchesPerEpoch full batches in one epoch
     * @param units           recurrent units (per LSTM layer for W1b)
     * @param vocab           vocabulary (W2 only, else 0)
     * @param embedding       embedding width (W2 only, else 0)
     */
    public record Sizes(int batch, int steps, int batchesPerEpoch, int units, int vocab, int embedding) {
        public int samplesPerEpoch() {
            return batch * batchesPerEpoch;
        }
    }
}
