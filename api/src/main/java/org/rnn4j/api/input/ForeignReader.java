package org.rnn4j.api.input;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a third-party reader (jHDF, Jackson, {@code java.util.zip}) over a file from a stranger so
 * that whatever it raises becomes one line. The mapping, the same for every reader:
 * <ul>
 *   <li>{@link IllegalArgumentException} (ours, already one line) and {@link IOException} pass
 *       through;</li>
 *   <li>any other {@link RuntimeException}, and {@link StackOverflowError} (a structure that nests
 *       or loops), become an {@link IllegalArgumentException}: a bad file, exit code 2;</li>
 *   <li>{@link OutOfMemoryError} and any other {@link Error} become an {@link IOException}: a
 *       runtime failure, exit code 1, since a legal but large file can exhaust a small heap; in
 *       {@link #isolated}, an {@link OutOfMemoryError} far beyond what the input's size could
 *       honestly need is a bad file instead.</li>
 * </ul>
 * {@link #isolated} also runs the reader on its own thread with a bounded stack and a time limit
 * ({@link InputCap#READ_SECONDS}), so a loop in a file's structure ends in one line, fast. A
 * reader that overruns its time is abandoned (interrupted, on a daemon thread): Java cannot stop
 * it, so it may spin until the JVM exits, which the CLI does at once.
 */
public final class ForeignReader {
    /** The reader thread's stack: ample for any real file's nesting, small enough to overflow fast on a loop. */
    static final long STACK_BYTES = 4L << 20;

    private ForeignReader() {}

    /** Runs {@code body} on this thread; {@code what} names the file and its kind, e.g. "x.h5 (HDF5)". */
    public static <T> T run(String what, Callable<T> body) throws IOException {
        try {
            return body.call();
        } catch (Throwable t) {
            throw mapped(what, t);
        }
    }

    /**
     * Runs {@code body} on a fresh thread with a bounded stack, waiting at most
     * {@link InputCap#READ_SECONDS}. {@code inputBytes} is the size of what is read: an
     * {@link OutOfMemoryError} while the heap holds more than {@link #PLAUSIBLE_EXPANSION} times
     * that (and at least 64 MiB) is a bad file (exit 2), since it came from a size field no honest
     * file of that size has; with a smaller heap it is a runtime failure (exit 1).
     */
    public static <T> T isolated(String what, long inputBytes, Callable<T> body) throws IOException {
        long seconds = InputCap.READ_SECONDS.value();
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        result.complete(body.call());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                },
                "rnn4j-reader",
                STACK_BYTES);
        t.setDaemon(true);
        t.start();
        try {
            return result.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new IllegalArgumentException(what + " was not read within " + InputCap.READ_SECONDS.describe()
                    + " (a loop in the file's structure?); " + InputCap.READ_SECONDS.wayOut());
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OutOfMemoryError
                    && Runtime.getRuntime().maxMemory()
                            > Math.max(64L << 20, PLAUSIBLE_EXPANSION * Math.max(0, inputBytes))) {
                throw new IllegalArgumentException(what + " is not readable: a size in it asks for more memory than"
                        + " this JVM has (" + (Runtime.getRuntime().maxMemory() >> 20)
                        + " MiB), far more than a file of "
                        + inputBytes + " bytes can hold; the file is corrupt");
            }
            throw mapped(what, e.getCause());
        }
    }

    /** How much memory, per byte of input, an honest third-party read may need. */
    static final long PLAUSIBLE_EXPANSION = 64;

    /** Throws the one-line bad-file form of {@code t}, or returns the runtime-failure form for the caller to throw. */
    private static IOException mapped(String what, Throwable t) {
        if (t instanceof IllegalArgumentException e && thrownByRnn4j(e)) {
            throw e; // already one line naming the file
        }
        if (t instanceof StackOverflowError) {
            throw new IllegalArgumentException(
                    what + " is not readable: its structure nests too deeply or loops back on itself");
        }
        if (t instanceof RuntimeException) {
            throw new IllegalArgumentException(what + " is not readable: " + oneLine(t), t);
        }
        if (t instanceof IOException e) {
            return e;
        }
        if (t instanceof OutOfMemoryError) {
            return new IOException(
                    "reading " + what + " needs more memory than this JVM has ("
                            + (Runtime.getRuntime().maxMemory() >> 20)
                            + " MiB of heap); give it more with -Xmx, or use a smaller file",
                    t);
        }
        return new IOException("reading " + what + " failed: " + oneLine(t), t);
    }

    private static boolean thrownByRnn4j(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("org.rnn4j.");
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
