package org.rnn4j.api.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an output location before any data is read or an engine starts, so a bad one is refused
 * at once rather than after the work: not under {@code /proc}, {@code /sys} or {@code /dev}, not
 * below an existing file, of the right kind if it exists, and writable, which is proven by
 * creating and deleting a probe in the nearest existing folder (permission bits say nothing for
 * root, a read-only mount or an immutable folder). Messages name the path as the user gave it.
 */
public final class OutputPaths {
    private static final List<Path> KERNEL = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    private OutputPaths() {}

    /** A folder to write into (a run or report folder); {@code option} names it in messages, e.g. "--out". */
    public static Path checkDirectory(Path dir, String option) throws IOException {
        Path existing = check(dir, option);
        Path abs = dir.toAbsolutePath().normalize();
        if (existing.equals(abs) && !Files.isDirectory(existing)) {
            throw new IllegalArgumentException(option + " " + dir + " exists and is not a directory; choose a folder");
        }
        return dir;
    }

    /** A file to write (atomically, by a rename in its folder). */
    public static Path checkFile(Path file, String option) throws IOException {
        Path existing = check(file, option);
        Path abs = file.toAbsolutePath().normalize();
        if (existing.equals(abs)) {
            if (Files.isDirectory(existing)) {
                throw new IllegalArgumentException(
                        option + " " + file + " is a directory; give a file name, e.g. " + file.resolve("out.json"));
            }
            if (!Files.isRegularFile(existing)) {
                throw new IllegalArgumentException(
                        option + " " + file + " exists and is not a regular file; give a new file name");
            }
        }
        return file;
    }

    /** The nearest existing path at or above {@code target}, after the checks every output shares. */
    private static Path check(Path target, String option) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new IllegalArgumentException(option + " " + target + " is the root folder; choose a folder below it");
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException(option + " " + target + " has no existing folder above it");
        }
        for (Path p : List.of(abs, existing.toRealPath())) {
            for (Path k : KERNEL) {
                if (p.startsWith(k)) {
                    throw new IllegalArgumentException(option + " " + target + " is under " + k
                            + ", a kernel file system, not storage; choose a folder on disk");
                }
            }
        }
        if (!existing.equals(abs) && !Files.isDirectory(existing)) {
            throw new IllegalArgumentException(
                    option + " " + target + " is below " + existing + ", which is a file; choose a folder elsewhere");
        }
        Path folder = Files.isDirectory(existing) ? existing : existing.getParent();
        probe(folder, target, option);
        return existing;
    }

    private static void probe(Path folder, Path target, String option) {
        try {
            Path p = Files.createTempFile(folder, ".rnn4j-probe-", "");
            Files.delete(p);
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            if (e instanceof java.nio.file.AccessDeniedException) {
                reason = "permission denied";
            }
            throw new IllegalArgumentException(option + " " + target + " cannot be written (" + reason + " in " + folder
                    + "); choose a writable folder");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    option + " " + target + " cannot be written (" + e.getMessage() + "); choose a writable folder");
        }
    }
}
