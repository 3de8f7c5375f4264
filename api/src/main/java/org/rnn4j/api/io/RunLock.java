package org.rnn4j.api.io;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on an output folder, so that a second run on the same folder is refused at
 * once instead of replacing the first run's outputs. The lock is the file
 * {@code .<folder>.lock} beside the folder (not inside it: a save replaces the whole folder by a
 * rename), held with {@link FileChannel#tryLock()}, which the operating system releases when the
 * process dies, however it dies; a lock file left by a killed run is therefore stale by
 * construction and simply taken over. The file holds the owner's pid, host and start time. After
 * locking, the file's identity (device and inode, by stat) is compared with the path's, since the
 * previous owner deletes the file while still holding it: a run that opened it just before sees
 * it replaced and starts again. Where the file system has no locks,
 * the pid stands in: a live pid on this host (or any pid on another host) keeps the folder busy,
 * a dead pid on this host is a stale lock and is replaced.
 *
 * <p>The lock file and any folders created to hold it are removed on {@link #close()}.
 */
public final class RunLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final List<Path> created;

    private RunLock(Path file, FileChannel channel, FileLock lock, List<Path> created) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.created = created;
    }

    /**
     * The lock file of {@code dir}: {@code .<name>.lock} in its parent, after resolving links, so
     * two paths to one folder (one through a symbolic link) share one lock.
     */
    public static Path lockFile(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs)) {
                abs = abs.toRealPath();
            } else if (Files.exists(abs.getParent())) {
                abs = abs.getParent().toRealPath().resolve(abs.getFileName());
            }
        } catch (IOException e) {
            // Unreadable on the way: the plain path is the best name left.
        }
        return abs.getParent().resolve("." + abs.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code dir} or refuses with one line naming the owner.
     *
     * @param option names the folder in messages, e.g. "--out"
     */
    public static RunLock acquire(Path dir, String option) throws IOException {
        Path file = lockFile(dir);
        // POSIX locks belong to the process and vanish when any of its descriptors of the file is
        // closed, so a lock this JVM holds is refused here without opening the file again.
        if (!HELD.add(file)) {
            throw busy(dir, option, "this process", file);
        }
        List<Path> created = new ArrayList<>();
        for (Path p = file.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
            created.add(0, p);
        }
        try {
            Files.createDirectories(file.getParent());
            for (int attempt = 0; attempt < 5; attempt++) {
                Object before = key(file);
                FileChannel ch = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Object opened = key(file);
                if (opened == null || (before != null && !before.equals(opened))) {
                    ch.close(); // replaced while being opened: start again
                    continue;
                }
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (IOException e) {
                    // No locks on this file system (e.g. NFS without a lock daemon): the recorded pid decides.
                    String owner = read(file);
                    if (!stale(owner)) {
                        ch.close();
                        throw busy(dir, option, describe(owner), file);
                    }
                    write(ch);
                    return new RunLock(file, ch, null, created);
                }
                if (lock == null) {
                    ch.close();
                    throw busy(dir, option, describe(read(file)), file);
                }
                // The identity is checked by stat alone: opening the file again would drop the lock.
                if (opened.equals(key(file))) {
                    write(ch);
                    return new RunLock(file, ch, lock, created);
                }
                // The previous owner deleted the file we opened before we locked it: start again.
                lock.release();
                ch.close();
            }
            throw new IOException("could not take the lock " + file + "; other runs keep replacing it");
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            removeCreated(created);
            throw e;
        }
    }

    /** The lock files this JVM holds. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    /** The file's identity (device and inode) from stat, without opening it; null if it is gone. */
    private static Object key(Path file) {
        try {
            Object k = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            return k != null ? k : Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    /** The lock file (for messages). */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            // Deleted while still locked, so a run waiting on this file sees it vanish and starts again.
            Files.deleteIfExists(file);
        } finally {
            if (lock != null) {
                lock.release();
            }
            channel.close();
            HELD.remove(file);
            removeCreated(created);
        }
    }

    private static void removeCreated(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException e) {
                // Not empty (the run wrote into it) or gone: either way it is no longer ours to remove.
                return;
            }
        }
    }

    private static IllegalArgumentException busy(Path dir, String option, String owner, Path file) {
        return new IllegalArgumentException(option + " " + dir + " is in use by another rnn4j run (" + owner
                + "); wait for it to finish or choose another folder (lock: " + file + ")");
    }

    private static void write(FileChannel ch) throws IOException {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        String text = "pid=" + ProcessHandle.current().pid() + "\nhost=" + host + "\nstarted=" + Instant.now() + "\n";
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
    }

    private static String read(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            return new String(b, 0, Math.min(b.length, 4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String field(String content, String key) {
        for (String line : content.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        return null;
    }

    /** "pid 1234 on host h since 2024-..." */
    static String describe(String content) {
        String pid = field(content, "pid");
        if (pid == null) {
            return "owner unknown";
        }
        String host = field(content, "host");
        String since = field(content, "started");
        return "pid " + pid + (host != null ? " on host " + host : "") + (since != null ? " since " + since : "");
    }

    /** True when the recorded owner is certainly gone: no owner, or a dead pid on this host. */
    static boolean stale(String content) {
        String pid = field(content, "pid");
        if (pid == null) {
            return true;
        }
        String host = field(content, "host");
        String here;
        try {
            here = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            here = "unknown";
        }
        if (host != null && !host.equals(here)) {
            return false; // another machine's pid cannot be checked from here
        }
        try {
            long p = Long.parseLong(pid);
            return p != ProcessHandle.current().pid()
                    && ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
