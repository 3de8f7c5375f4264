package org.rnn4j.backend.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.SplitProgram;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.layers.MaskingSpec;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.SimpleRnnSpec;
import org.rnn4j.api.model.ModelSpec;

/**
 * The DeepLearning4J / ND4J engine (CPU, {@code nd4j-native} with OpenBLAS), id {@code dl4j}.
 *
 * <p>Models run as the shared {@link org.rnn4j.api.graph.ModelGraph} recorded once per shape and
 * executed eagerly on ND4J arrays, forwards and backwards ({@link TapeGraph}; LSTM, GRU and
 * SimpleRNN layers as one fused node each, {@link TapeLstm} and {@link TapeRnn}), not as
 * {@code MultiLayerNetwork} layers and not through SameDiff (whose interpreter cost tens of
 * microseconds of Java per op, 2-8x slower; ARCHITECTURE.md): DL4J has no GRU layer, its LSTM
 * keeps the gates in another order and the data in another layout ({@code [batch, features,
 * time]}), and Keras's masking, {@code reset_after} and the two {@code hard_sigmoid}
 * definitions need exact control over every op. With {@code ModelGraph} the layer math is written
 * once and shared with the TensorFlow backend, so both compute the same numbers.
 *
 * <p>Capabilities: {@link Capability#DETERMINISTIC} (CPU kernels with a fixed thread count give
 * bit-identical outputs and gradients run after run; checked by this module's tests). Not
 * {@link Capability#CONCURRENT_PREDICT}: a program serializes its calls.
 *
 * <p>Creating the backend loads nothing native; ND4J loads when the first graph is built. ND4J then
 * runs its ops on one thread and its matrix products on up to two OpenBLAS threads unless
 * {@code OMP_NUM_THREADS} or the system properties {@code rnn4j.dl4j.threads} /
 * {@code rnn4j.dl4j.blasThreads} say otherwise (see {@code Dl4jRuntime}). On more than one core a
 * training step whose recurrent work is large enough is split by rows over the cores, each part
 * on its own thread ({@link SplitProgram}; {@code -Drnn4j.splitBatch=false} turns it off).
 */
public final class Dl4jBackend implements Backend {
    /** The id users select this backend by. */
    public static final String ID = "dl4j";

    private final Set<Program> programs = Collections.newSetFromMap(new IdentityHashMap<>());

    private boolean closed;

    /** A new engine; quiets JavaCPP's and SLF4J's start-up lines unless told not to ({@code Dl4jQuietStart}). */
    public Dl4jBackend() {
        Dl4jQuietStart.apply();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "DeepLearning4J/ND4J " + nd4jVersion() + " on CPU (nd4j-native, OpenBLAS; eager ND4J ops)";
    }

    /** The ND4J version from its Maven metadata, read without loading the native library. */
    static String nd4jVersion() {
        try (InputStream in =
                Dl4jBackend.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in == null) {
                return "(unknown version)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            // The version only decorates the description; a missing one must not stop the backend.
            return "(unknown version)";
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return Collections.unmodifiableSet(EnumSet.of(Capability.DETERMINISTIC, Capability.SAMPLE_WEIGHTS));
    }

    /**
     * Sequences of up to {@value RecurrencePolicy#WHOLE_MAX_STEPS} steps run whole; longer ones in
     * chunks of {@value #LONG_CHUNK} steps when every recurrence runs as one fused node
     * ({@link TapeLstm}, {@link TapeRnn}: a forward layer with the standard activations, no recurrent
     * dropout, no mask), else of {@value RecurrencePolicy#CHUNK_STEPS}. A fused node's chunk costs a
     * few arrays of its length, and each piece run costs its driver, conversions and head besides
     * the work, which long chunks amortise (ARCHITECTURE.md, "Long sequences": 10,000 steps against
     * 100 took 1.90x per step with chunks of 64 and 1.14x with 512 for SimpleRNN(32), 1.62x and
     * 1.41x for GRU(32)).
     */
    @Override
    public RecurrencePolicy recurrencePolicy() {
        return RecurrencePolicy.measured(RecurrencePolicy.WHOLE_MAX_STEPS, Dl4jBackend::chunkSteps);
    }

    static final int LONG_CHUNK = 512;

    static int chunkSteps(ModelSpec spec) {
        boolean fused = spec.layers().stream()
                .allMatch(l -> !(l instanceof BidirectionalSpec)
                        && !(l instanceof MaskingSpec)
                        && !(l instanceof EmbeddingSpec e && e.maskZero())
                        && (!(l instanceof RecurrentSpec r) || fusable(r)));
        return fused ? LONG_CHUNK : RecurrencePolicy.CHUNK_STEPS;
    }

    /** Whether {@code ModelGraph} offers this layer to a fused node (given no mask reaches it). */
    private static boolean fusable(RecurrentSpec r) {
        var o = r.options();
        return !r.goBackwards()
                && o.activation() == Activation.TANH
                && (r instanceof SimpleRnnSpec || o.recurrentActivation() == Activation.SIGMOID)
                && o.recurrentDropout() == 0;
    }

    @Override
    public synchronized Program compile(ModelSpec spec, RecurrencePolicy policy) {
        if (closed) {
            throw new IllegalStateException("the dl4j backend is closed; create a new one");
        }
        if (spec == null || policy == null) {
            throw new IllegalArgumentException("spec and policy must not be null");
        }
        int ways = SplitProgram.parts();
        Program[] holder = new Program[1];
        Program p;
        if (ways < 2) {
            p = new Dl4jProgram(spec, policy, () -> forget(holder[0]));
        } else {
            // A program serializes its calls (its graphs' arrays are shared by their runs): one per part.
            List<Dl4jProgram> parts = new java.util.ArrayList<>();
            for (int i = 0; i < ways; i++) {
                parts.add(new Dl4jProgram(spec, policy, () -> {}));
            }
            p = new SplitProgram(
                    spec, ID, parts, Dl4jRuntime::oneBlasThread, Dl4jRuntime::allBlasThreads, () -> forget(holder[0]));
        }
        holder[0] = p;
        programs.add(p);
        return p;
    }

    private synchronized void forget(Program p) {
        programs.remove(p);
    }

    /** Closes programs still open (callers should have closed them) and refuses new compiles. */
    @Override
    public void close() {
        List<Program> open;
        synchronized (this) {
            closed = true;
            open = List.copyOf(programs);
        }
        open.forEach(Program::close);
    }
}
