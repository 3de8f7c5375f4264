package org.rnn4j.backend.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewBufferFromString;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionRun;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.RawTensor;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.proto.RunOptions;

/**
 * One session run at a time through TensorFlow's C API ({@code TF_SessionRun}), with its native
 * arrays made once and reused from run to run: what {@code Session.Runner} does, without the
 * native arrays, status, options buffer, deallocators and typed tensor wrappers it makes on every
 * run. Inputs and outputs are copied straight between Java arrays and C tensors
 * ({@link TfTensors#toNative}, {@link TfTensors#fromNative}), with no Java tensor objects between.
 *
 * <p>Why: a one-step piece (a {@code Stream} step of a small model) does about 40 microseconds of
 * TensorFlow work, and {@code Session.Runner} spent several more around each run, more the more it
 * feeds (W2's step feeds its id, h, c and six weights). W2's stream step went from 51.0-51.6 to
 * 42.0-43.1 microseconds ({@code benchmarks/manual.sh step-costs 5000 6}, rounds 4-6, 2026-12-06).
 *
 * <p>TensorFlow Java 1.1.0 keeps a session's and a tensor's C handles private; they are read by
 * reflection, once ({@link #available}). Where that is refused (the jars on the module path
 * without {@code --add-opens}, a TensorFlow Java that renamed them) or {@value #PROPERTY} is
 * {@code false}, every run goes through {@code Session.Runner}, which is only slower. Not
 * thread-safe: a program keeps a pool and a run takes one for its duration.
 */
final class TfNativeRun implements AutoCloseable {
    /** Turns native runs off ({@code -Drnn4j.tf.nativeRuns=false}): every run goes through {@code Session.Runner}. */
    static final String PROPERTY = "rnn4j.tf.nativeRuns";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TfNativeRun.class);
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private static final Field SESSION_HANDLE;
    private static final Method TENSOR_HANDLE;
    /** Why the handles cannot be read, or null when they can. */
    private static final String UNAVAILABLE;

    static {
        Field session = null;
        Method tensor = null;
        String why = null;
        try {
            session = Session.class.getDeclaredField("nativeHandle");
            tensor = RawTensor.class.getDeclaredMethod("nativeHandle");
            if (session.getType() != TF_Session.class || tensor.getReturnType() != TF_Tensor.class) {
                why = "TensorFlow Java's handles have other types than version 1.1.0's";
            } else {
                session.setAccessible(true);
                tensor.setAccessible(true);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = e.toString();
        }
        SESSION_HANDLE = why == null ? session : null;
        TENSOR_HANDLE = why == null ? tensor : null;
        UNAVAILABLE = why;
    }

    /** Run options that execute a run on the calling thread ({@code inter_op_thread_pool = -1}). */
    static final RunOptions CALLER_THREAD_OPTIONS =
            RunOptions.newBuilder().setInterOpThreadPool(-1).build();

    /** {@link #CALLER_THREAD_OPTIONS} serialised for the C API; made once, never freed. */
    static final TF_Buffer IN_CALLER_THREAD = options(CALLER_THREAD_OPTIONS);

    /**
     * Where tensors go in or come out: an array of {@code TF_Output}s and one of tensor pointers, of
     * the same length. Made in a scope of our own and retained past it: a {@code PointerScope} the
     * caller has open would otherwise adopt them and free them when it closes, under a run still in
     * its program's pool. {@link #close} releases them.
     */
    private record Slots(TF_Output at, PointerPointer<TF_Tensor> values, int capacity) implements AutoCloseable {
        static final Slots NONE = new Slots(null, null, 0);

        /** Slots for at least {@code needed}; this when it has room, else new ones (this one closed after). */
        Slots room(int needed) {
            if (needed <= capacity) {
                return this;
            }
            int n = Math.max(needed, 2 * capacity);
            Slots grown;
            try (PointerScope own = new PointerScope()) {
                grown = new Slots(
                        new TF_Output(n).retainReference(), new PointerPointer<TF_Tensor>(n).retainReference(), n);
            }
            close();
            return grown;
        }

        @Override
        public void close() {
            if (at != null) {
                at.close();
                values.close();
            }
        }
    }

    private Slots inputs = Slots.NONE;
    private Slots outputs = Slots.NONE;
    private final TF_Status status = TF_NewStatus();
    private int fed;
    private int fetched;
    private boolean closed;

    /** Whether the C handles can be read here; when not, {@link #whyUnavailable} says why. */
    static boolean available() {
        return UNAVAILABLE == null;
    }

    static String whyUnavailable() {
        return UNAVAILABLE;
    }

    /**
     * Whether programs made now run natively: {@link #available} (said once in the log
     * when not) and not turned off.
     */
    static boolean enabled() {
        if (!available()) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn(
                        "TensorFlow's C handles cannot be read ({}); runs go through Session.Runner, "
                                + "a few microseconds slower each",
                        UNAVAILABLE);
            }
            return false;
        }
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /** The C session behind {@code s} (owned by {@code s}; valid until it closes). */
    static TF_Session handle(Session s) {
        return (TF_Session) read(() -> SESSION_HANDLE.get(s));
    }

    /** The C tensor behind {@code t} (owned by {@code t}; valid until it closes). */
    static TF_Tensor handle(org.tensorflow.Tensor t) {
        RawTensor raw = t.asRawTensor();
        return (TF_Tensor) read(() -> TENSOR_HANDLE.invoke(raw));
    }

    private interface Reflective {
        Object get() throws ReflectiveOperationException;
    }

    private static Object read(Reflective r) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("TensorFlow's C handles cannot be read here: " + UNAVAILABLE);
        }
        try {
            return r.get();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading a TensorFlow C handle failed: " + e, e);
        }
    }

    private static TF_Buffer options(RunOptions o) {
        byte[] bytes = o.toByteArray();
        return TF_NewBufferFromString(new BytePointer(bytes), bytes.length);
    }

    /**
     * Starts a run of at most {@code feeds} inputs and {@code fetches} outputs. Larger arrays are
     * made before the old ones are freed, so a failed allocation leaves this run as it was.
     */
    void start(int feeds, int fetches) {
        if (closed) {
            throw new IllegalStateException("this native run is closed");
        }
        inputs = inputs.room(feeds);
        outputs = outputs.room(fetches);
        fed = 0;
        fetched = 0;
    }

    /** Feeds {@code value} (still the caller's) as {@code at}. */
    void feed(Output<?> at, TF_Tensor value) {
        set(inputs.at(), fed, at);
        inputs.values().put(fed, value);
        fed++;
    }

    /** Asks for {@code o}; its tensor is {@link #output}{@code (i)} for the {@code i}-th fetch. */
    void fetch(Output<?> o) {
        set(outputs.at(), fetched, o);
        fetched++;
    }

    private static void set(TF_Output array, int i, Output<?> o) {
        array.position(i)
                .oper(((GraphOperation) o.op()).getUnsafeNativeHandle())
                .index(o.index());
        array.position(0);
    }

    /**
     * Runs {@code session} with what was fed and fetched since {@link #start}; every fetched tensor
     * is then the caller's to delete.
     *
     * @param options {@link #IN_CALLER_THREAD}, or null for TensorFlow's inter-op pool
     * @throws org.tensorflow.exceptions.TensorFlowException (or the subclass of its code) when
     *         TensorFlow refuses the run, as {@code Session.Runner} throws it
     */
    void run(TF_Session session, TF_Buffer options) {
        TF_SessionRun(
                session,
                options,
                inputs.at(),
                inputs.values(),
                fed,
                outputs.at(),
                outputs.values(),
                fetched,
                null,
                0,
                null,
                status);
        status.throwExceptionIfNotOK();
    }

    /** The {@code i}-th fetched tensor of the last successful {@link #run}; the caller deletes it. */
    TF_Tensor output(int i) {
        return new TF_Tensor(outputs.values().get(i));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inputs.close();
        outputs.close();
        TF_DeleteStatus(status);
    }
}
