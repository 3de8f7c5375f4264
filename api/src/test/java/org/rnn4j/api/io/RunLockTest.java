package org.rnn4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    @TempDir
    Path tmp;

    private static Process holder(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        assertEquals("locked", line);
        return p;
    }

    @Test
    void aSecondRunOnTheSameFolderIsRefusedAtOnceNamingTheOwner() throws Exception {
        Path run = tmp.resolve("run");
        Process first = holder(run);
        try {
            long start = System.nanoTime();
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> RunLock.acquire(run, "--out"));
            assertTrue((System.nanoTime() - start) < TimeUnit.SECONDS.toNanos(2), "refused at once");
            assertTrue(
                    e.getMessage().startsWith("--out " + run + " is in use by another rnn4j run (pid " + first.pid()),
                    e.getMessage());
            assertTrue(e.getMessage()
                    .endsWith(
                            "; wait for it to finish or choose another folder (lock: " + RunLock.lockFile(run) + ")"));
        } finally {
            first.getOutputStream().close();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(RunLock.lockFile(run)), "released and removed");
        RunLock.acquire(run, "--out").close();
    }

    @Test
    void aLockLeftByAKilledRunIsTakenOver() throws Exception {
        Path run = tmp.resolve("run");
        Process first = holder(run);
        first.destroyForcibly(); // SIGKILL: the lock file stays, the operating system drops the lock
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(RunLock.lockFile(run)), "a killed run leaves its lock file");
        assertTrue(RunLock.stale(Files.readString(RunLock.lockFile(run))), "its pid is dead on this host");
        try (RunLock lock = RunLock.acquire(run, "--out")) {
            assertTrue(Files.readString(lock.file())
                    .contains("pid=" + ProcessHandle.current().pid() + "\n"));
        }
    }

    @Test
    void twoLocksInOneProcessAreRefusedToo() throws Exception {
        Path run = tmp.resolve("a/b/run");
        try (RunLock lock = RunLock.acquire(run, "--out")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> RunLock.acquire(run, "--out"));
            assertTrue(e.getMessage().contains("is in use by another rnn4j run (this process)"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("a")), "the folders made to hold the lock are removed");
    }

    @Test
    void aLinkToTheSameFolderSharesItsLock() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), run);
        try (RunLock lock = RunLock.acquire(run, "--out")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> RunLock.acquire(link, "--out"));
            assertTrue(e.getMessage().startsWith("--out " + link + " is in use"), e.getMessage());
        }
    }

    @Test
    void withoutFileLocksThePidDecides() throws Exception {
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        assertTrue(RunLock.stale("pid=" + dead.pid() + "\nhost=" + host + "\n"), "a dead pid on this host");
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        assertFalse(RunLock.stale("pid=" + alive + "\nhost=" + host + "\n"), "a live pid on this host");
        assertFalse(RunLock.stale("pid=" + dead.pid() + "\nhost=elsewhere.example\n"), "another host's pid");
        assertTrue(RunLock.stale(""), "no owner at all");
    }
}
