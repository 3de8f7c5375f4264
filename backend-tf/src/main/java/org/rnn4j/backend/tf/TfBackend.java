package org.rnn4j.backend.tf;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.BackendException;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.backend.RecurrencePolicy;
import org.rnn4j.api.backend.SplitProgram;
import org.rnn4j.api.model.ModelSpec;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;

/**
 * The TensorFlow Java engine (id {@value #ID}), CPU only. Programs it compiles build TensorFlow
 * graphs lazily and own them; {@link #close()} closes programs still open.
 *
 * <p>Creating one quiets TensorFlow's start-up log lines unless told not to (see
 * {@code TfQuietStart}: {@code -Drnn4j.quietStart=false} keeps them), and turns on TensorFlow's
 * oneDNN kernels unless the environment sets {@code TF_ENABLE_ONEDNN_OPTS} (see {@code TfOneDnn}:
 * {@code -Drnn4j.tf.onednn=false} leaves TensorFlow's default).
 *
 * <p>Capabilities: {@link Capability#CONCURRENT_PREDICT} always (sessions are thread-safe);
 * {@link Capability#DETERMINISTIC} when kernels run on one intra-op thread (the default, see
 * {@link TfSessionOptions}).
 */
public final class TfBackend implements Backend {
    public static final String ID = "tf";

    private final TfSessionOptions options;
    private final TfForms forms;
    private final ConfigProto config;
    /** The programs compile handed out and not yet closed. */
    private final List<Program> open = new ArrayList<>();

    private boolean closed;

    /**
     * What {@code Rnn4j.backend("tf")} makes: thread settings from the system properties
     * {@code rnn4j.tf.intraOpThreads} / {@code rnn4j.tf.interOpThreads} ({@link TfSessionOptions}),
     * recurrence forms autotuned unless turned off ({@link TfForms#fromSystemProperties}).
     */
    @Inject
    public TfBackend() {
        this(
                TfSessionOptions.fromSystemProperties(),
                TfForms.fromSystemProperties(TfSessionOptions.deterministicRequested()));
    }

    /** The given thread settings, recurrence forms by the measured rule (no autotuning). */
    public TfBackend(TfSessionOptions options) {
        this(options, TfForms.rule());
    }

    public TfBackend(TfSessionOptions options, TfForms forms) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null; use TfSessionOptions.defaults()");
        }
        if (forms == null) {
            throw new IllegalArgumentException("forms must not be null; use TfForms.rule()");
        }
        noPhysicalMemoryPolling(); // before JavaCPP's Pointer class initializes
        TfQuietStart.apply(); // before TensorFlow's native library loads
        TfOneDnn.apply(); // the same
        this.options = options;
        this.forms = forms;
        this.config = options.toConfigProto();
    }

    public TfForms forms() {
        return forms;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        String version;
        try {
            version = TensorFlow.version();
        } catch (LinkageError e) {
            throw new BackendException(
                    ID,
                    "TensorFlow's native library could not be loaded on " + System.getProperty("os.name") + "/"
                            + System.getProperty("os.arch") + " (" + e + "); choose another backend",
                    e);
        }
        return "TensorFlow " + version + " (TensorFlow Java, CPU; " + options.intraOpThreads() + " intra-op / "
                + options.interOpThreads() + " inter-op threads)";
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> c = EnumSet.of(Capability.CONCURRENT_PREDICT, Capability.SAMPLE_WEIGHTS);
        if (options.deterministic()) {
            c.add(Capability.DETERMINISTIC);
        }
        return Set.copyOf(c);
    }

    public TfSessionOptions options() {
        return options;
    }

    /**
     * Sequences of up to {@value RecurrencePolicy#WHOLE_MAX_STEPS} steps run whole; longer ones in
     * chunks of {@value #LONG_CHUNK} steps when every step is cheap (every recurrence a fused LSTM,
     * or SimpleRNN only), else of {@value #SHORT_CHUNK}. Measured (ARCHITECTURE.md, "Long
     * sequences"): a chunk's Session.run costs some 0.1-0.3 ms besides its work, which long chunks
     * amortise; but the unrolled GRU's training pieces ran slower per step the longer they were
     * (10,000 steps against 100: 1.1-1.2x with chunks of 16 or 32, 1.5-1.8x with 128).
     */
    @Override
    public RecurrencePolicy recurrencePolicy() {
        return RecurrencePolicy.measured(RecurrencePolicy.WHOLE_MAX_STEPS, TfBackend::chunkSteps);
    }

    static final int LONG_CHUNK = 128;
    static final int SHORT_CHUNK = 32;

    static int chunkSteps(ModelSpec spec) {
        boolean simpleOnly = spec.layers().stream()
                .filter(l -> l instanceof org.rnn4j.api.layers.RecurrentSpec
                        || l instanceof org.rnn4j.api.layers.BidirectionalSpec)
                .allMatch(l -> l instanceof org.rnn4j.api.layers.SimpleRnnSpec);
        return simpleOnly || TfOps.fusesEveryRecurrence(spec) ? LONG_CHUNK : SHORT_CHUNK;
    }

    @Override
    public synchronized Program compile(ModelSpec spec, RecurrencePolicy policy) {
        if (spec == null || policy == null) {
            throw new IllegalArgumentException("spec and policy must not be null");
        }
        if (closed) {
            throw new IllegalStateException(
                    "the tf backend is closed; create a new one to compile model '" + spec.name() + "'");
        }
        // What compile hands out (the program, or the split around it) is what close() closes: closing
        // only the program inside a split would leave the split's thread pool behind.
        Program[] handedOut = new Program[1];
        TfProgram program =
                new TfProgram(spec, config, p -> forget(handedOut[0]), true, policy, forms, tuningContext());
        int ways = SplitProgram.parts();
        // A program runs calls at once (a session is thread-safe): every part runs through the same one.
        handedOut[0] = ways < 2
                ? program
                : new SplitProgram(
                        spec,
                        ID,
                        java.util.Collections.nCopies(ways, program),
                        () -> {},
                        () -> {},
                        () -> forget(handedOut[0]));
        open.add(handedOut[0]);
        return handedOut[0];
    }

    /**
     * What a tuned choice depends on besides the model and shape: the machine, the engine, the
     * threads, and whether oneDNN's kernels are on ({@code TfOneDnn}).
     */
    List<String> tuningContext() {
        return List.of(
                "cpu=" + cpuModel(),
                "cores=" + Runtime.getRuntime().availableProcessors(),
                "engine=tensorflow " + TensorFlow.version(),
                "threads=" + options.intraOpThreads() + "/" + options.interOpThreads(),
                "onednn=" + TfOneDnn.state());
    }

    /** {@link #cpuModel}'s answer, read once: the CPU does not change under a running JVM. */
    private static volatile String cpu;

    /**
     * The CPU a tuned choice was measured on: {@link #cpuIdentity} of Linux's /proc/cpuinfo, else the OS and
     * architecture.
     */
    static String cpuModel() {
        String c = cpu;
        if (c == null) {
            c = readCpuModel();
            cpu = c;
        }
        return c;
    }

    private static String readCpuModel() {
        try {
            String id = cpuIdentity(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")));
            if (id != null) {
                return id;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or unreadable: the coarser name below
        }
        String id = System.getenv("PROCESSOR_IDENTIFIER");
        return (id != null ? id + " " : "") + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }

    /**
     * The vector instruction sets TensorFlow's kernels (Eigen's and oneDNN's, x86 and Arm) are chosen by, as
     * /proc/cpuinfo names them.
     */
    static final List<String> KERNEL_FLAGS = List.of(
            "avx",
            "avx2",
            "fma",
            "f16c",
            "avx_vnni",
            "avx512f",
            "avx512dq",
            "avx512bw",
            "avx512vl",
            "avx512_vnni",
            "avx512_bf16",
            "avx512_fp16",
            "amx_tile",
            "amx_bf16",
            "amx_int8",
            "asimd",
            "asimddp",
            "sve",
            "sve2",
            "bf16",
            "i8mm");

    /**
     * The first processor in {@code /proc/cpuinfo}'s lines: its model name with its vendor, family, model and
     * stepping (x86), or its implementer, part and variant (Arm, whose cpuinfo has no model name), and the {@link
     * #KERNEL_FLAGS} it has; null when it has neither a model name nor an implementer. The name alone is not
     * enough: a virtual machine names a Zen 3 without AVX-512 and a Zen 4 with it both "AMD EPYC", and a form that
     * wins on one need not win on the other.
     */
    static String cpuIdentity(List<String> cpuinfo) {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (line.isBlank() && !fields.isEmpty()) {
                break; // the first processor's block is enough: the tuned program runs on any of them
            }
            if (colon > 0) {
                fields.putIfAbsent(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim());
            }
        }
        String name = fields.get("model name");
        List<String> keys = List.of("vendor_id", "cpu family", "model", "stepping");
        if (name == null) {
            if (!fields.containsKey("CPU implementer")) {
                return null;
            }
            name = "Arm";
            keys = List.of("CPU implementer", "CPU part", "CPU variant", "CPU revision");
        }
        StringBuilder id = new StringBuilder(name);
        List<String> parts = new ArrayList<>();
        for (String key : keys) {
            String v = fields.get(key);
            if (v != null) {
                parts.add(key + " " + v);
            }
        }
        if (!parts.isEmpty()) {
            id.append(" (").append(String.join(", ", parts)).append(')');
        }
        Set<String> has = new java.util.HashSet<>();
        for (String key : List.of("flags", "Features")) {
            has.addAll(List.of(fields.getOrDefault(key, "").split("\\s+")));
        }
        List<String> flags = KERNEL_FLAGS.stream().filter(has::contains).toList();
        if (!flags.isEmpty()) {
            id.append(" [").append(String.join(" ", flags)).append(']');
        }
        return id.toString();
    }

    private synchronized void forget(Program program) {
        open.remove(program);
    }

    /** Closes the programs still open (they should have been closed first); later compiles throw. */
    @Override
    public void close() {
        List<Program> left;
        synchronized (this) {
            closed = true;
            left = List.copyOf(open);
        }
        for (Program p : left) {
            p.close();
        }
    }

    /** JavaCPP's property for the physical memory limit it checks on every native allocation. */
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    /**
     * Sets JavaCPP's physical memory limit to 0 (no limit, no check) unless the user set it. With a
     * limit, JavaCPP reads the process's resident size (from {@code /proc}) on every native
     * allocation to decide whether to call the garbage collector first: a third of the time of a
     * one-character generation step (JFR, W2's model, 0.078 against 0.053 ms per step). rnn4j closes
     * every tensor it makes itself, so it has nothing for that collection to find. Takes effect
     * only if nothing in the process has used JavaCPP yet (its {@code Pointer} class reads the
     * property once); a value the user gives, even in a later JVM option, is never replaced.
     */
    static void noPhysicalMemoryPolling() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null
                && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(java.util.Locale.ROOT)) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
    }
}
