package org.rnn4j.bench;

import java.util.Locale;
import java.util.function.Function;

/**
 * The harness's command line: {@code --workload W1|W1b|W2|P|gen|matmul --impl
 * rnn4j-tf|rnn4j-dl4j|tf-baseline|tf-baseline-plain|tf-baseline-block|tf-baseline-gate-major|dl4j-baseline|dl4j-baseline-1t [--epochs N] [--warmup K] [--timed T]
 * [--warmup-seconds S] [--batches B] [--tail-batches B] [--small] [--seconds S] [--repeats R] [--variant NAME]
 * [--interleaved]}.
 *
 * @param epochs      training epochs in all, warm-up included (memory is read after epochs 5 and 20 when reached)
 * @param warmup      first epochs not timed
 * @param timed       epochs timed after the warm-up; later epochs use {@code tailBatches}
 * @param warmupSeconds the warm-up goes on, epoch by epoch, until this many seconds of training after the first
 *                    batch (which builds the graphs, and tunes them in rnn4j-tf) have passed, and at least
 *                    {@code warmup} epochs: the JIT compiles for seconds, not epochs. Each epoch it adds goes in front of the protocol, whose timed and tail epochs and
 *                    memory readings (its epochs 5 and 20) all move one later; 0 = exactly {@code warmup} epochs
 * @param batches     batches per warm-up and timed epoch (the first batches of the data); 0 = a full epoch
 * @param tailBatches batches per epoch after the timed ones (the first batches of the data); 0 = a full epoch
 * @param seconds     P: the most seconds spent timing each inference case; gen and {@code interleaved}: the
 *                    seconds of rounds
 * @param repeats     P: the most timed calls per case; gen: calls per implementation per round; matmul: timed runs
 * @param variant     a label for a run under other settings than the defaults (one core, deterministic),
 *                    recorded in the result so the report keeps it out of the main tables; null for none
 * @param interleaved W1, W1b, W2 with rnn4j-tf: rnn4j-tf and every hand-written TensorFlow form of the workload
 *                    trained in one JVM, in interleaved rounds of {@code batches} batches each
 *                    ({@link Harness#interleave}) for {@code seconds} after a warm-up of {@code warmupSeconds}; the
 *                    epochs options do not apply
 */
public record Options(
        Workload workload,
        Impl impl,
        int epochs,
        int warmup,
        int timed,
        double warmupSeconds,
        int batches,
        int tailBatches,
        boolean small,
        double seconds,
        int repeats,
        String variant,
        boolean interleaved) {
    public Options {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (warmup < 0 || warmup >= epochs) {
            throw new IllegalArgumentException(
                    "--warmup must be in [0, epochs), got " + warmup + " with --epochs " + epochs);
        }
        if (timed < 1 || warmup + timed > epochs) {
            throw new IllegalArgumentException("--timed must be >= 1 and warmup + timed <= epochs, got --timed " + timed
                    + ", --warmup " + warmup + ", --epochs " + epochs);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
            throw new IllegalArgumentException("--warmup-seconds must be a number >= 0, got " + warmupSeconds);
        }
        if (warmupSeconds > 0 && warmup == 0) {
            throw new IllegalArgumentException("--warmup-seconds lengthens a warm-up; give --warmup 1 or more with it");
        }
        if (batches < 0) {
            throw new IllegalArgumentException("--batches must be >= 0 (0 = full epochs), got " + batches);
        }
        if (tailBatches < 0) {
            throw new IllegalArgumentException("--tail-batches must be >= 0 (0 = full epochs), got " + tailBatches);
        }
        if (!(seconds > 0) || repeats < 1) {
            throw new IllegalArgumentException(
                    "--seconds must be > 0 and --repeats >= 1, got " + seconds + " and " + repeats);
        }
    }

    public static Options parse(String... args) {
        Workload workload = null;
        Impl impl = null;
        int epochs = 20;
        int warmup = 1;
        Integer timed = null;
        double warmupSeconds = 0;
        int batches = 0;
        int tail = 0;
        boolean small = false;
        double seconds = 5;
        int repeats = 200;
        String variant = null;
        boolean interleaved = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--small" -> small = true;
                case "--workload" -> workload = Workload.parse(value(args, ++i, a));
                case "--impl" -> impl = Impl.parse(value(args, ++i, a));
                case "--epochs" -> epochs = integer(args, ++i, a);
                case "--warmup" -> warmup = integer(args, ++i, a);
                case "--timed" -> timed = integer(args, ++i, a);
                case "--warmup-seconds" -> warmupSeconds = decimal(args, ++i, a);
                case "--batches" -> batches = integer(args, ++i, a);
                case "--tail-batches" -> tail = integer(args, ++i, a);
                case "--seconds" -> seconds = decimal(args, ++i, a);
                case "--repeats" -> repeats = integer(args, ++i, a);
                case "--variant" -> variant = value(args, ++i, a);
                case "--interleaved" -> interleaved = true;
                default ->
                    throw new IllegalArgumentException(
                            "unknown option '" + a + "'; usage: --workload W1|W1b|W2|P|gen|matmul --impl "
                                    + "rnn4j-tf|rnn4j-dl4j|tf-baseline|tf-baseline-plain|tf-baseline-block|tf-baseline-gate-major|dl4j-baseline|dl4j-baseline-1t [--epochs N] [--warmup K] [--timed T] [--warmup-seconds S] [--batches B] [--tail-batches B] [--small] "
                                    + "[--seconds S] [--repeats R] [--variant NAME] [--interleaved]");
            }
        }
        if (workload == null || impl == null) {
            throw new IllegalArgumentException("--workload and --impl are required");
        }
        if (workload == Workload.GEN && impl != Impl.RNN4J_TF) {
            throw new IllegalArgumentException("--workload gen times rnn4j-tf against the hand-written TensorFlow forms"
                    + " in one JVM; run it with --impl rnn4j-tf");
        }
        if (interleaved && (impl != Impl.RNN4J_TF || !workload.isTraining())) {
            throw new IllegalArgumentException(
                    "--interleaved times rnn4j-tf against the hand-written TensorFlow forms of a"
                            + " training workload in one JVM; run it with --workload W1|W1b|W2 --impl rnn4j-tf");
        }
        return new Options(
                workload,
                impl,
                epochs,
                warmup,
                timed == null ? epochs - warmup : timed,
                warmupSeconds,
                batches,
                tail,
                small,
                seconds,
                repeats,
                variant,
                interleaved);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int integer(String[] args, int i, String option) {
        return parsed(args, i, option, Integer::parseInt, "an integer");
    }

    private static double decimal(String[] args, int i, String option) {
        return parsed(args, i, option, Double::parseDouble, "a number");
    }

    /** An option's value read by {@code parse}; a value it refuses is named with the kind of value wanted. */
    private static <T> T parsed(String[] args, int i, String option, Function<String, T> parse, String kind) {
        String v = value(args, i, option);
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes " + kind + ", got '" + v + "'", e);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s/%s epochs=%d warmup=%d (%.1f s) timed=%d batches=%d tail=%d%s",
                workload.id(),
                impl.id(),
                epochs,
                warmup,
                warmupSeconds,
                timed,
                batches,
                tailBatches,
                (small ? " small" : "") + (interleaved ? " interleaved" : ""));
    }
}
