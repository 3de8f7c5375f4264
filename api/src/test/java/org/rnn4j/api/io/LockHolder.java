package org.rnn4j.api.io;

import java.nio.file.Path;

/** Holds the lock of a folder until its stdin closes: {@code java ... LockHolder DIR}. */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]), "--out")) {
            System.out.println("locked");
            System.out.flush();
            System.in.read();
        }
    }
}
