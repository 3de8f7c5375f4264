package org.rnn4j.data.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.cache.CachedFile;
import org.rnn4j.data.cache.CountingInputStream;
import org.rnn4j.data.cache.SourceStamp;

/**
 * The characters of a UTF-8 text of any size as token ids, encoded once into a compact cache file
 * (one byte per character for up to 256 distinct characters, two up to 65,536, else four) and
 * memory-mapped, so sequences are cut by index ({@link #ids()}) without the text in the heap.
 *
 * <p>The build reads the text twice, streaming: once for the {@link CharVocabulary} (every code
 * point of the whole text, in ascending order, exactly as {@link CharVocabulary#fit} on the whole
 * text gives it), once to write the ids of its first {@code maxCharacters} code points (0: all).
 * Text that is not UTF-8 is refused (a {@link java.nio.charset.CharacterCodingException}) and no
 * cache file is left. Reuse and rebuilding follow the same rules as the CSV column cache: the
 * source's size, modification time and the checksum of its first 64 KiB must match.
 */
public final class TokenFile {
    private static final String KIND = "chars";
    private static final int CHUNK = 1 << 16;
    private static final long PROGRESS_NANOS = 250_000_000L;

    private final Path path;
    private final CharVocabulary vocabulary;
    private final int length;
    private final int width;
    private final CachedFile.Payload payload;
    private final String rebuildReason;

    private TokenFile(
            Path path,
            CharVocabulary vocabulary,
            int length,
            int width,
            CachedFile.Payload payload,
            String rebuildReason) {
        this.path = path;
        this.vocabulary = vocabulary;
        this.length = length;
        this.width = width;
        this.payload = payload;
        this.rebuildReason = rebuildReason;
    }

    /** The characters of {@code text}, cached in the user's {@link CacheFolder#standard()}. */
    public static TokenFile characters(Path text, int maxCharacters) throws IOException {
        return characters(text, maxCharacters, CacheFolder.standard(), BuildProgress.NONE);
    }

    /**
     * The characters of {@code text}: the cache file in {@code folder} when it matches, else built
     * now (reporting to {@code progress}).
     *
     * @param maxCharacters the ids of only the first so many code points are kept (0: all)
     */
    public static TokenFile characters(Path text, int maxCharacters, CacheFolder folder, BuildProgress progress)
            throws IOException {
        if (maxCharacters < 0) {
            throw new IllegalArgumentException("maxCharacters must be >= 0 (0 = all), got " + maxCharacters);
        }
        if (!Files.isRegularFile(text)) {
            throw new NoSuchFileException(text.toString());
        }
        SourceStamp stamp = SourceStamp.of(text);
        String settings = "characters, maxCharacters=" + maxCharacters;
        Path target = folder.fileFor(KIND, text, settings);
        CachedFile[] reused = {null};
        String[] why = {"there was no cache file"};
        boolean built = folder.build(
                target,
                existing -> {
                    CachedFile c = CachedFile.open(existing, true);
                    String m = c == null ? "the cache file was incomplete or damaged" : stamp.mismatch(c.metadata());
                    if (m == null
                            && !settings.equals(c.metadata().path("settings").asText())) {
                        m = "it was built with other settings";
                    }
                    why[0] = m;
                    reused[0] = m == null ? c : null;
                    return m == null;
                },
                tmp -> write(text, maxCharacters, stamp, settings, tmp, progress));
        CachedFile file = built ? CachedFile.open(target, false) : reused[0];
        if (file == null) {
            throw new IOException("the cache file " + target + " cannot be read back after it was built");
        }
        JsonNode meta = file.metadata();
        List<String> symbols = new ArrayList<>();
        meta.path("vocabulary").forEach(n -> symbols.add(n.asText()));
        return new TokenFile(
                target,
                new CharVocabulary(symbols, null),
                meta.path("length").asInt(),
                meta.path("width").asInt(),
                file.map(),
                built ? why[0] : null);
    }

    private static void write(
            Path text, int maxCharacters, SourceStamp stamp, String settings, Path tmp, BuildProgress progress)
            throws IOException {
        String what = "character cache of " + text.getFileName();
        long start = System.nanoTime();
        // Pass 1: the vocabulary of the whole text, as CharVocabulary.fit(wholeText).
        BitSet seen = new BitSet();
        long total = codePoints(text, stamp, what, start, progress, 0, (cp, i) -> seen.set(cp));
        if (seen.isEmpty()) {
            throw new IllegalArgumentException("cannot fit a char vocabulary on empty text: " + text + " is empty");
        }
        int[] codePoints = seen.stream().toArray();
        long kept = maxCharacters == 0 ? total : Math.min(total, maxCharacters);
        if (kept > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(text + " has " + total + " characters, more than a sequence of ids can"
                    + " index (" + (Integer.MAX_VALUE - 8) + "); keep fewer with maxCharacters (--max-chars)");
        }
        int width = codePoints.length <= 256 ? 1 : codePoints.length <= 65_536 ? 2 : 4;
        char[] bmp = new char[65_536];
        Arrays.fill(bmp, Character.MAX_VALUE);
        for (int id = 0; id < codePoints.length && codePoints[id] < 65_536; id++) {
            bmp[codePoints[id]] = (char) id;
        }
        // Pass 2: the ids of the first `kept` code points.
        try (CachedFile.Output out = new CachedFile.Output(tmp)) {
            codePoints(text, stamp, what, start, progress, kept, (cp, i) -> {
                int id = cp < 65_536 && bmp[cp] != Character.MAX_VALUE ? bmp[cp] : Arrays.binarySearch(codePoints, cp);
                out.putUnsigned(width, id);
            });
            SourceStamp after = SourceStamp.of(text);
            if (after.size() != stamp.size() || after.modifiedNanos() != stamp.modifiedNanos()) {
                throw new IOException(text + " changed while it was being read; read it again when it is complete");
            }
            ObjectNode meta = CachedFile.newMetadata();
            meta.put("kind", KIND);
            meta.put("settings", settings);
            stamp.write(meta);
            ArrayNode vocabulary = meta.putArray("vocabulary");
            for (int cp : codePoints) {
                vocabulary.add(new String(Character.toChars(cp)));
            }
            meta.put("width", width);
            meta.put("length", kept);
            out.finish(meta);
        }
        progress.update(what, kept, stamp.size(), stamp.size(), System.nanoTime() - start, true);
    }

    @FunctionalInterface
    private interface CodePointConsumer {
        void accept(int codePoint, long index) throws IOException;
    }

    /** Streams the code points of a UTF-8 file (at most {@code limit}, 0: all); returns how many were read. */
    private static long codePoints(
            Path text,
            SourceStamp stamp,
            String what,
            long start,
            BuildProgress progress,
            long limit,
            CodePointConsumer each)
            throws IOException {
        char[] buf = new char[CHUNK];
        long count = 0;
        long shown = System.nanoTime();
        char pendingHigh = 0;
        try (CountingInputStream in = new CountingInputStream(Files.newInputStream(text));
                Reader r = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder())) {
            int n;
            while ((n = r.read(buf, 0, buf.length)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    int cp;
                    if (pendingHigh != 0) {
                        cp = Character.toCodePoint(pendingHigh, c);
                        pendingHigh = 0;
                    } else if (Character.isHighSurrogate(c)) {
                        pendingHigh = c;
                        continue;
                    } else {
                        cp = c;
                    }
                    if (limit > 0 && count == limit) {
                        return count;
                    }
                    each.accept(cp, count);
                    count++;
                }
                long now = System.nanoTime();
                if (now - shown >= PROGRESS_NANOS) {
                    shown = now;
                    progress.update(what, count, in.count(), stamp.size(), now - start, false);
                }
            }
        }
        return count;
    }

    /** The cache file. */
    public Path path() {
        return path;
    }

    /** Why the cache file was (re)built by this call, or {@code null} when an existing one was reused. */
    public String rebuildReason() {
        return rebuildReason;
    }

    public boolean wasBuilt() {
        return rebuildReason != null;
    }

    /** The characters of the whole text, in ascending code-point order. */
    public CharVocabulary vocabulary() {
        return vocabulary;
    }

    /** The number of ids (code points kept). */
    public int length() {
        return length;
    }

    /** The ids, read from the mapped file. */
    public IdSequence ids() {
        return new IdSequence() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public void read(int from, int[] dst, int offset, int count) {
                IdSequence.checkRange(from, count, length);
                payload.readUnsigned(width, from, dst, offset, count);
            }
        };
    }

    @Override
    public String toString() {
        return "TokenFile[" + length + " characters, " + vocabulary + ", " + path + "]";
    }
}
