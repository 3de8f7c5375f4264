package org.rnn4j.data.cache;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the bytes read through it, for a build's progress line (read from another thread too). */
public final class CountingInputStream extends FilterInputStream {
    private final AtomicLong count = new AtomicLong();

    public CountingInputStream(InputStream in) {
        super(in);
    }

    /** Bytes read so far. */
    public long count() {
        return count.get();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count.incrementAndGet();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count.addAndGet(n);
        }
        return n;
    }
}
