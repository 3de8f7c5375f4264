package org.rnn4j.backend.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Keeps the engines' start-up chatter off a library user's stderr, once per process, before
 * TensorFlow's native library loads; {@code -Drnn4j.quietStart=false} turns it off. Settings the
 * user made are never replaced:
 *
 * <ul>
 *   <li>TensorFlow's C++ log level, {@code TF_CPP_MIN_LOG_LEVEL=2} (warnings and info off, errors
 *       on), unless the environment has one. TensorFlow reads it with C's {@code getenv} once, at
 *       its first log line, and Java cannot change the C environment, so on Linux the variable is
 *       added to the C array {@code environ} through JavaCPP (elsewhere nothing is done; set the
 *       variable yourself). The two lines TensorFlow logs through absl ("All log messages before
 *       absl::InitializeLog() ..." and "MLIR V1 optimization pass is not enabled") ignore it; no
 *       setting reaches them, and the {@code rnn4j} launcher filters them out.
 *   <li>JavaCPP's warnings go to SLF4J ({@code org.bytedeco.javacpp.logger=slf4j}) instead of
 *       straight to stderr, and SLF4J's own report of a missing logging provider is limited to
 *       errors ({@code slf4j.internal.verbosity=ERROR}), unless those properties are set.
 * </ul>
 */
final class TfQuietStart {
    static final String PROPERTY = "rnn4j.quietStart";
    static final String LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL";

    /** The C strings the process environment points at from now on; never freed. */
    private static final List<Pointer> KEPT = new ArrayList<>();

    private static boolean applied;

    private TfQuietStart() {}

    static synchronized void apply() {
        if (applied || "false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return;
        }
        applied = true;
        setIfAbsent("org.bytedeco.javacpp.logger", "slf4j");
        setIfAbsent("slf4j.internal.verbosity", "ERROR");
        if (System.getenv(LOG_LEVEL) == null) {
            addToNativeEnvironment(LOG_LEVEL, "2");
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Adds {@code name=value} to the C environment of this process (Linux): a copy of the
     * {@code environ} array with one more entry, swapped in with one pointer store. glibc's
     * {@code setenv} and {@code getenv} work on whatever {@code environ} points to, so later calls
     * see the copy; the old array stays valid for a reader that already holds it.
     *
     * @return whether the variable was added
     */
    static boolean addToNativeEnvironment(String name, String value) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return false;
        }
        Pointer environ;
        try {
            environ = Loader.addressof("environ");
        } catch (UnsatisfiedLinkError e) {
            return false; // JavaCPP's own native helper is missing: TensorFlow will not load either
        }
        if (environ == null || environ.isNull()) {
            return false;
        }
        PointerPointer<Pointer> slot = new PointerPointer<>(environ);
        PointerPointer<Pointer> old = new PointerPointer<>(slot.get(0));
        int n = 0;
        while (!isNull(old.get(n))) {
            n++;
        }
        PointerPointer<Pointer> fresh = new PointerPointer<>(n + 2L);
        for (int i = 0; i < n; i++) {
            fresh.put(i, old.get(i));
        }
        BytePointer entry = new BytePointer(name + "=" + value);
        fresh.put(n, entry);
        fresh.put(n + 1L, (Pointer) null);
        entry.retainReference();
        fresh.retainReference();
        KEPT.add(entry);
        KEPT.add(fresh);
        slot.put(0, fresh);
        return true;
    }

    private static boolean isNull(Pointer p) {
        return p == null || p.isNull();
    }
}
