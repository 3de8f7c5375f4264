package org.rnn4j.h5;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.ForeignReader;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.input.InputTooLargeException;
import org.rnn4j.api.json.SpecException;

/**
 * The two entries rnn4j needs from a Keras 3 {@code .keras} zip, read in memory: nothing is
 * extracted, so no entry name is ever used as a path. The archive is read front to back from its
 * local headers and every entry (those skipped too) is inflated through a counter that stops at
 * the entry's cap ({@link InputCap#JSON} for {@code config.json}, {@link InputCap#ARCHIVE_ENTRY}
 * otherwise) and at {@link InputCap#ZIP_RATIO} inflated bytes per compressed byte actually
 * consumed, whatever sizes the central directory or a local header claims. A zip bomb is thus
 * refused after about a megabyte, not after its claimed size.
 */
record KerasArchive(byte[] config, byte[] weights) {
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.weights.h5";
    /** Inflated bytes before the ratio is judged: headers and tiny entries compress unevenly. */
    private static final long RATIO_GRACE = 1L << 20;

    static KerasArchive read(Path file) throws IOException {
        BoundedInput.regularFile(file);
        return ForeignReader.run(file + " (zip)", () -> {
            try {
                return entries(file);
            } catch (ZipException | EOFException e) {
                throw new SpecException("", file + " is not a valid .keras archive: " + e.getMessage(), e);
            }
        });
    }

    private static KerasArchive entries(Path file) throws IOException {
        byte[] config = null;
        byte[] weights = null;
        int entries = 0;
        try (Counter consumed =
                        new Counter(new BufferedInputStream(BoundedInput.open(file, InputCap.ARCHIVE), 1 << 16));
                ZipInputStream zip = new ZipInputStream(consumed)) {
            ZipEntry e;
            byte[] buf = new byte[1 << 16];
            while ((e = zip.getNextEntry()) != null) {
                entries++;
                String name = e.getName();
                boolean keep = name.equals(CONFIG) || name.equals(WEIGHTS);
                if ((name.equals(CONFIG) && config != null) || (name.equals(WEIGHTS) && weights != null)) {
                    throw new SpecException(
                            "", file + " holds the entry " + name + " twice; an archive must name each entry once");
                }
                InputCap cap = name.equals(CONFIG) ? InputCap.JSON : InputCap.ARCHIVE_ENTRY;
                long max = cap.value();
                long ratio = InputCap.ZIP_RATIO.value();
                long start = consumed.count;
                long total = 0;
                List<byte[]> chunks = new ArrayList<>();
                int n;
                while ((n = zip.read(buf)) > 0) {
                    total += n;
                    if (total > max) {
                        throw new InputTooLargeException(file, cap, "entry " + name + " inflates beyond");
                    }
                    long read = Math.max(1, consumed.count - start);
                    if (total > RATIO_GRACE && total > ratio * read) {
                        throw new SpecException(
                                "",
                                file + ": archive entry " + name + " expands more than " + ratio + "x (" + total
                                        + " bytes from " + read + "; a zip bomb?); refused, or "
                                        + InputCap.ZIP_RATIO.wayOut() + " if the archive is genuine");
                    }
                    if (keep) {
                        byte[] c = new byte[n];
                        System.arraycopy(buf, 0, c, 0, n);
                        chunks.add(c);
                    }
                }
                if (keep) {
                    byte[] all = join(chunks, total);
                    if (name.equals(CONFIG)) {
                        config = all;
                    } else {
                        weights = all;
                    }
                }
            }
        }
        if (entries == 0) {
            throw new SpecException("", file + " is not a zip archive (no entries found); a .keras file is a zip");
        }
        if (config == null || weights == null) {
            throw new SpecException("", file + " is not a Keras 3 archive: it needs " + CONFIG + " and " + WEIGHTS);
        }
        return new KerasArchive(config, weights);
    }

    private static byte[] join(List<byte[]> chunks, long total) {
        byte[] all = new byte[Math.toIntExact(total)];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }

    /** Counts the compressed bytes the zip reader actually consumes. */
    private static final class Counter extends FilterInputStream {
        long count;

        Counter(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += Math.max(0, s);
            return s;
        }
    }
}
