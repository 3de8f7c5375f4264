package org.rnn4j.backend.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Settings TensorFlow's native library reads from the C environment with {@code getenv}, once, as
 * it loads or at its first use, where Java's {@code System.getenv} is a copy that cannot be
 * changed: {@link TfQuietStart} (the log level) and {@link TfOneDnn} (oneDNN's kernels) add theirs
 * here before the library loads.
 */
final class TfNativeEnvironment {
    /** The C strings the process environment points at from now on; never freed. */
    private static final List<Pointer> KEPT = new ArrayList<>();

    private TfNativeEnvironment() {}

    /**
     * Adds {@code name=value} to the C environment of this process (Linux): a copy of the
     * {@code environ} array with one more entry, swapped in with one pointer store. glibc's
     * {@code setenv} and {@code getenv} work on whatever {@code environ} points to, so later calls
     * see the copy; the old array stays valid for a reader that already holds it.
     *
     * @return whether the variable was added
     */
    static synchronized boolean add(String name, String value) {
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
