package org.rnn4j.api.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens files from strangers within bounds. Only regular files are opened, and the type is
 * checked before opening: opening a FIFO blocks until a writer comes, and a device such as
 * {@code /dev/zero} reports size 0 and never ends. Symbolic links are followed (a link to a
 * regular file is a regular file). Bytes are counted as they are read and reading stops one byte
 * past the {@link InputCap}; the size a file reports is never trusted.
 */
public final class BoundedInput {
    private BoundedInput() {}

    /**
     * Returns {@code file} if it is a regular file (after following links); a directory, device,
     * FIFO or socket is refused with one line naming the path and the rule.
     *
     * @throws java.nio.file.NoSuchFileException if nothing is there
     */
    public static Path regularFile(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (a.isDirectory()) {
            throw new IllegalArgumentException(file + " is a directory; give a file");
        }
        if (!a.isRegularFile()) {
            throw new IllegalArgumentException(
                    file + " is not a regular file (a device, FIFO or socket); rnn4j reads regular files only");
        }
        return file;
    }

    /** A stream over a regular file that throws {@link InputTooLargeException} once more than the cap has been read. */
    public static InputStream open(Path file, InputCap cap) throws IOException {
        regularFile(file);
        return new Capped(Files.newInputStream(file), file, cap, cap.value());
    }

    /** The whole file, at most {@code cap} bytes. */
    public static byte[] readAll(Path file, InputCap cap) throws IOException {
        regularFile(file);
        // One Java array holds at most about 2 GiB, whatever the cap says.
        long max = Math.min(cap.value(), Integer.MAX_VALUE - 16);
        try (InputStream in = new Capped(Files.newInputStream(file), file, cap, max)) {
            return in.readAllBytes();
        }
    }

    /**
     * The whole file as strict UTF-8 text, at most {@code cap} bytes.
     *
     * @throws IllegalArgumentException if the bytes are not UTF-8
     */
    public static String readUtf8(Path file, InputCap cap) throws IOException {
        byte[] bytes = readAll(file, cap);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text", e);
        }
    }

    /**
     * A UTF-8 text file, whole if it is within {@link InputCap#TEXT}. A longer file is read only up
     * to its first {@code maxChars} code points (the rest is never read), or refused when
     * {@code maxChars} is 0 (meaning all).
     *
     * @throws InputTooLargeException if the file is above the cap and {@code maxChars} is 0
     * @throws IllegalArgumentException if the bytes read are not UTF-8
     */
    public static String readText(Path file, int maxChars) throws IOException {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must be >= 0 (0 = all), got " + maxChars);
        }
        long cap = InputCap.TEXT.value();
        regularFile(file);
        StringBuilder text = new StringBuilder();
        long codePoints = 0;
        char[] buf = new char[8192];
        try (Counting bytes = new Counting(Files.newInputStream(file));
                Reader in = new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder())) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (!Character.isLowSurrogate(buf[i])) {
                        codePoints++;
                    }
                }
                text.append(buf, 0, n);
                if (bytes.count > cap) {
                    if (maxChars == 0) {
                        throw new InputTooLargeException(file, InputCap.TEXT, "is larger than");
                    }
                    if (codePoints >= maxChars) {
                        // Above the cap only the characters asked for are kept, and the rest is never read.
                        return text.substring(0, text.offsetByCodePoints(0, maxChars));
                    }
                }
            }
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text", e);
        }
        return text.toString();
    }

    /** Counts bytes read. */
    private static class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            if (s > 0) {
                counted(s);
            }
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        void counted(long n) {
            count += n;
        }
    }

    /** Counts bytes read and throws once the count passes the cap. */
    private static final class Capped extends Counting {
        private final Path file;
        private final InputCap cap;
        private final long max;

        Capped(InputStream in, Path file, InputCap cap, long max) {
            super(in);
            this.file = file;
            this.cap = cap;
            this.max = max;
        }

        @Override
        void counted(long n) {
            super.counted(n);
            if (count > max) {
                throw new InputTooLargeException(file, cap, "is larger than");
            }
        }
    }
}
