package org.rnn4j.data.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.cache.CachedFile;
import org.rnn4j.data.cache.CountingInputStream;
import org.rnn4j.data.cache.SourceStamp;
import org.rnn4j.data.series.ChronologicalSplit;

/**
 * A UTF-8 text of any size as token ids, encoded once into a compact cache file (one byte per id
 * for up to 256 distinct ids, two up to 65,536, else four) and memory-mapped, so sequences are cut
 * by index ({@link #ids()}) without the text in the heap. Two kinds:
 *
 * <ul>
 *   <li>{@link #characters}: the text is read twice, streaming: once for the {@link CharVocabulary}
 *   (every code point of the whole text, in ascending order, exactly as {@link CharVocabulary#fit}
 *   on the whole text gives it), once to write the ids of its first {@code maxCharacters} code
 *   points (0: all).</li>
 *   <li>{@link #words}: the text is read once and split into words as {@link WordTokenizer#split}
 *   splits it, each word written as a provisional id (its order of first appearance); the
 *   vocabulary is then ranked from the counts of the training split's words only (Keras's rule:
 *   by count, ties by first appearance) and the ids are rewritten as the final tokenizer's.</li>
 * </ul>
 *
 * Text that is not UTF-8 is refused (a {@link java.nio.charset.CharacterCodingException}) and no
 * cache file is left. Reuse and rebuilding follow the same rules as the CSV column cache: the
 * source's size, modification time and the checksum of its first 64 KiB must match.
 */
public final class TokenFile {
    private static final String KIND = "chars";
    private static final String WORDS = "words";
    private static final int CHUNK = 1 << 16;
    private static final long PROGRESS_NANOS = 250_000_000L;

    private final Path path;
    private final CharVocabulary vocabulary; // characters; null for words
    private final WordTokenizer tokenizer; // words; null for characters
    private final int length;
    private final int width;
    private final CachedFile.Payload payload;
    private final String rebuildReason;

    private TokenFile(
            Path path,
            CharVocabulary vocabulary,
            WordTokenizer tokenizer,
            int length,
            int width,
            CachedFile.Payload payload,
            String rebuildReason) {
        this.path = path;
        this.vocabulary = vocabulary;
        this.tokenizer = tokenizer;
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
        String settings = "characters, maxCharacters=" + maxCharacters;
        CacheFolder.Opened opened = folder.open(
                KIND, text, settings, (stamp, tmp) -> write(text, maxCharacters, stamp, settings, tmp, progress));
        Path target = opened.path();
        CachedFile file = opened.file();
        JsonNode meta = file.metadata();
        List<String> symbols = new ArrayList<>();
        meta.path("vocabulary").forEach(n -> symbols.add(n.asText()));
        return new TokenFile(
                target,
                new CharVocabulary(symbols, null),
                null,
                meta.path("length").asInt(),
                meta.path("width").asInt(),
                file.map(),
                opened.rebuiltBecause());
    }

    /**
     * The words of {@code text} as a tokenizer's ids: the first {@code maxCharacters} code points
     * (0: all) split as {@code options} say, the vocabulary fitted on the words of {@code split}'s
     * training part and cut to the {@code keep} most frequent, exactly as
     * {@code WordTokenizer.fit} on the training words followed by that cut gives it. Unknown and
     * cut words get the oov id, which {@code options} must name.
     */
    public static TokenFile words(
            Path text,
            int maxCharacters,
            TokenizerOptions options,
            ChronologicalSplit split,
            int keep,
            CacheFolder folder,
            BuildProgress progress)
            throws IOException {
        if (maxCharacters < 0) {
            throw new IllegalArgumentException("maxCharacters must be >= 0 (0 = all), got " + maxCharacters);
        }
        if (options.oovToken() == null || keep < 1) {
            throw new IllegalArgumentException(
                    "a word cache needs an oov token and keep >= 1, got " + options.oovToken() + " and " + keep);
        }
        String settings = "words, maxCharacters=" + maxCharacters + ", " + options + ", " + split + ", keep=" + keep;
        CacheFolder.Opened opened = folder.open(
                WORDS,
                text,
                settings,
                (stamp, tmp) -> writeWords(text, maxCharacters, options, split, keep, stamp, settings, tmp, progress));
        Path target = opened.path();
        CachedFile file = opened.file();
        JsonNode meta = file.metadata();
        List<String> kept = new ArrayList<>();
        meta.path("words").forEach(n -> kept.add(n.asText()));
        return new TokenFile(
                target,
                null,
                new WordTokenizer(options, kept),
                meta.path("length").asInt(),
                meta.path("width").asInt(),
                file.map(),
                opened.rebuiltBecause());
    }

    private static void writeWords(
            Path text,
            int maxCharacters,
            TokenizerOptions options,
            ChronologicalSplit split,
            int keep,
            SourceStamp stamp,
            String settings,
            Path tmp,
            BuildProgress progress)
            throws IOException {
        String what = "word cache of " + text.getFileName();
        long start = System.nanoTime();
        WordTokenizer splitter = new WordTokenizer(options, List.of());
        Map<String, Integer> provisional = new HashMap<>();
        List<String> byProvisional = new ArrayList<>();
        Path ids = tmp.resolveSibling(tmp.getFileName() + ".provisional");
        long words;
        long characters;
        try {
            // Pass 1: every word as the order of its first appearance, into a scratch file of int32.
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(ids), 1 << 16))) {
                StringBuilder chunk = new StringBuilder();
                long[] count = {0};
                CodePointConsumer flush = (cp, i) -> {
                    for (String w : splitter.split(chunk.toString())) {
                        Integer id = provisional.get(w);
                        if (id == null) {
                            id = byProvisional.size();
                            provisional.put(w, id);
                            byProvisional.add(w);
                        }
                        out.writeInt(id);
                        count[0]++;
                    }
                    chunk.setLength(0);
                };
                characters = codePoints(text, stamp, what, start, progress, maxCharacters, (cp, i) -> {
                    chunk.appendCodePoint(cp);
                    // Cut only after a space: lowercasing and splitting a piece that ends there give
                    // the words of the whole text (Keras splits on spaces, and no case rule looks past one).
                    if (cp == ' ' && chunk.length() >= CHUNK) {
                        flush.accept(cp, i);
                    }
                });
                flush.accept(0, 0);
                words = count[0];
            }
            if (words > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(text + " has " + words + " words, more than a sequence of ids can"
                        + " index; keep fewer characters with maxCharacters (--max-chars)");
            }
            // The vocabulary of the training words: counts, ranked by count, ties by first appearance.
            int trainEnd = split.boundaries((int) words).trainEnd();
            int[] counts = new int[byProvisional.size()];
            try (DataInputStream in =
                    new DataInputStream(new BufferedInputStream(Files.newInputStream(ids), 1 << 16))) {
                for (int i = 0; i < trainEnd; i++) {
                    counts[in.readInt()]++;
                }
            }
            Integer oov = provisional.get(options.oovToken());
            if (oov != null) {
                counts[oov] = 0;
            }
            Integer[] ranked = new Integer[counts.length];
            for (int i = 0; i < ranked.length; i++) {
                ranked[i] = i;
            }
            Arrays.sort(ranked, (a, b) -> counts[a] != counts[b] ? Integer.compare(counts[b], counts[a]) : a - b);
            int[] finalId = new int[counts.length];
            Arrays.fill(finalId, 1); // the oov id
            List<String> kept = new ArrayList<>();
            for (int r = 0; r < ranked.length && kept.size() < keep && counts[ranked[r]] > 0; r++) {
                finalId[ranked[r]] = 2 + kept.size();
                kept.add(byProvisional.get(ranked[r]));
            }
            int vocabulary = new WordTokenizer(options, kept).vocabularySize();
            int width = vocabulary <= 256 ? 1 : vocabulary <= 65_536 ? 2 : 4;
            // Pass 2 (over the scratch file, not the text): the final ids.
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(ids), 1 << 16));
                    CachedFile.Output out = new CachedFile.Output(tmp)) {
                for (long i = 0; i < words; i++) {
                    out.putUnsigned(width, finalId[in.readInt()]);
                }
                SourceStamp after = SourceStamp.of(text);
                if (after.size() != stamp.size() || after.modifiedNanos() != stamp.modifiedNanos()) {
                    throw new IOException(text + " changed while it was being read; read it again when it is complete");
                }
                ObjectNode meta = CachedFile.newMetadata();
                meta.put("kind", WORDS);
                meta.put("settings", settings);
                stamp.write(meta);
                ArrayNode list = meta.putArray("words");
                kept.forEach(list::add);
                meta.put("width", width);
                meta.put("length", words);
                out.finish(meta);
            }
        } finally {
            Files.deleteIfExists(ids);
        }
        progress.update(what, characters, stamp.size(), stamp.size(), System.nanoTime() - start, true);
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

    /** The characters of the whole text, in ascending code-point order (a character cache only). */
    public CharVocabulary vocabulary() {
        if (vocabulary == null) {
            throw new IllegalStateException("a word cache has a tokenizer, not a character vocabulary");
        }
        return vocabulary;
    }

    /** The fitted word tokenizer whose ids the file holds (a word cache only). */
    public WordTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("a character cache has a vocabulary, not a word tokenizer");
        }
        return tokenizer;
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
        return "TokenFile[" + length + (vocabulary != null ? " characters, " + vocabulary : " words, " + tokenizer)
                + ", " + path + "]";
    }
}
