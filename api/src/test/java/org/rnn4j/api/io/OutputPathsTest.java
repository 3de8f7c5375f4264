package org.rnn4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output locations are refused up front, with one line naming the path as given. */
class OutputPathsTest {
    @TempDir
    Path tmp;

    private static String refused(ThrowingCheck c) {
        return assertThrows(IllegalArgumentException.class, c::run).getMessage();
    }

    interface ThrowingCheck {
        void run() throws IOException;
    }

    static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void kernelFileSystemsAreNotStorage() {
        assertEquals(
                "--out /proc/self/run is under /proc, a kernel file system, not storage; choose a folder on disk",
                refused(() -> OutputPaths.checkDirectory(Path.of("/proc/self/run"), "--out")));
        assertEquals(
                "--output /sys/x.json is under /sys, a kernel file system, not storage; choose a folder on disk",
                refused(() -> OutputPaths.checkFile(Path.of("/sys/x.json"), "--output")));
    }

    @Test
    void aPathBelowAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        Path below = file.resolve("run/deeper");
        assertEquals(
                "--out " + below + " is below " + file + ", which is a file; choose a folder elsewhere",
                refused(() -> OutputPaths.checkDirectory(below, "--out")));
    }

    @Test
    void kindsMustMatch() throws IOException {
        assertEquals(
                "--output " + tmp + " is a directory; give a file name, e.g. " + tmp.resolve("out.json"),
                refused(() -> OutputPaths.checkFile(tmp, "--output")));
        Path file = Files.writeString(tmp.resolve("run"), "x");
        assertEquals(
                "--out " + file + " exists and is not a directory; choose a folder",
                refused(() -> OutputPaths.checkDirectory(file, "--out")));
    }

    @Test
    void newPathsUnderWritableFoldersPassAndNothingIsLeft() throws IOException {
        OutputPaths.checkDirectory(tmp.resolve("a/b/c"), "--out");
        OutputPaths.checkFile(tmp.resolve("y.json"), "--output");
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count(), "the probe is gone and nothing was created");
        }
    }

    @Test
    void anImmutableFolderCannotBeWritten() throws Exception {
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Assumptions.assumeTrue(sh("chattr", "+i", locked.toString()) == 0, "chattr +i is not available here");
        try {
            assertEquals(
                    "--out " + locked.resolve("run") + " cannot be written (Operation not permitted in " + locked
                            + "); choose a writable folder",
                    refused(() -> OutputPaths.checkDirectory(locked.resolve("run"), "--out")));
        } finally {
            sh("chattr", "-i", locked.toString());
        }
    }

    @Test
    void aReadOnlyMountCannotBeWritten() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("ro"));
        Assumptions.assumeTrue(
                sh("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", mnt.toString()) == 0,
                "cannot mount a read-only tmpfs here (needs root)");
        try {
            assertEquals(
                    "--output " + mnt.resolve("y.json") + " cannot be written (Read-only file system in " + mnt
                            + "); choose a writable folder",
                    refused(() -> OutputPaths.checkFile(mnt.resolve("y.json"), "--output")));
        } finally {
            sh("umount", mnt.toString());
        }
    }
}
