package org.rnn4j.data.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.series.TimeSeries;

class ColumnFileTest {
    @TempDir
    Path tmp;

    /** Dated rows of two columns, one with gaps; {@code bad} puts text in row {@code badRow}'s close cell. */
    private Path csv(String name, int rows, int badRow) throws IOException {
        Path file = tmp.resolve("data").resolve(name);
        Files.createDirectories(file.getParent());
        SplittableRandom r = new SplittableRandom(3);
        LocalDate d = LocalDate.of(1990, 1, 1);
        double price = 100;
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("Date,Close,Volume\n");
            for (int i = 0; i < rows; i++) {
                price *= 1 + (r.nextDouble() - 0.5) / 50;
                String close = i == badRow ? "12.5x" : String.format(Locale.ROOT, "%.6f", price);
                String volume = r.nextInt(10) == 0 ? "" : Integer.toString(r.nextInt(1_000_000));
                w.write(d.plusDays(i) + "," + close + "," + volume + "\n");
            }
        }
        return file;
    }

    private static final CsvSeriesReader READER =
            CsvSeriesReader.forColumns("Close", "Volume").withGapPolicy(GapPolicy.FORWARD_FILL);

    private CacheFolder cache() {
        return CacheFolder.at(tmp.resolve("cache"));
    }

    private List<String> cacheFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theColumnsAreTheInMemoryReadersValuesBitForBit() throws IOException {
        Path file = csv("prices.csv", 5_000, -1);
        TimeSeries memory = READER.read(file);
        ColumnFile columns = ColumnFile.of(file, READER, cache(), BuildProgress.NONE);
        assertEquals(List.of("Close", "Volume"), columns.columns());
        assertEquals(memory.length(), columns.rows());
        assertArrayEquals(memory.column("Close"), columns.column("close").toArray(0, columns.rows()));
        assertArrayEquals(memory.column("Volume"), columns.column(1).toArray(0, columns.rows()));
        assertEquals(memory.column("Close")[4_321], columns.column(0).get(4_321));
        assertTrue(columns.wasBuilt());
        assertEquals("there was no cache file", columns.rebuildReason());
    }

    @Test
    void anUnchangedCsvReusesItsCacheAndAChangedOneIsRebuilt() throws IOException {
        Path file = csv("prices.csv", 300, -1);
        ColumnFile.of(file, READER, cache(), BuildProgress.NONE);
        ColumnFile again = ColumnFile.of(file, READER, cache(), BuildProgress.NONE);
        assertFalse(again.wasBuilt());
        assertNull(again.rebuildReason());

        // Another reader setting is another cache file.
        ColumnFile closeOnly = ColumnFile.of(file, CsvSeriesReader.forColumns("Close"), cache(), BuildProgress.NONE);
        assertTrue(closeOnly.wasBuilt());
        assertEquals(1, closeOnly.columns().size());

        FileTime time = Files.getLastModifiedTime(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 5_000));
        ColumnFile touched = ColumnFile.of(file, READER, cache(), BuildProgress.NONE);
        assertEquals("the source's modification time changed", touched.rebuildReason());

        Files.writeString(file, "2100-01-01,1.0,5\n", StandardOpenOption.APPEND);
        ColumnFile longer = ColumnFile.of(file, READER, cache(), BuildProgress.NONE);
        assertTrue(longer.rebuildReason().startsWith("the source's size changed"), longer.rebuildReason());
        assertEquals(301, longer.rows());

        // Same size, same time, another first row: only the head's checksum tells.
        String text = Files.readString(file);
        FileTime before = Files.getLastModifiedTime(file);
        int at = text.indexOf('\n') + 1 + "1990-01-01,".length();
        char digit = text.charAt(at);
        Files.writeString(file, text.substring(0, at) + (digit == '9' ? '8' : '9') + text.substring(at + 1));
        Files.setLastModifiedTime(file, before);
        ColumnFile edited = ColumnFile.of(file, READER, cache(), BuildProgress.NONE);
        assertEquals("the source's first 65536 bytes changed", edited.rebuildReason());
        assertEquals(READER.read(file).column("Close")[0], edited.column(0).get(0));
    }

    @Test
    void aDamagedOrTruncatedCacheFileIsRebuiltNotTrusted() throws IOException {
        Path file = csv("prices.csv", 400, -1);
        Path cached = ColumnFile.of(file, READER, cache(), BuildProgress.NONE).path();
        double first = READER.read(file).column("Close")[0];
        try (FileChannel ch = FileChannel.open(cached, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 16 + 8); // inside row 0's Volume
        }
        ColumnFile repaired = ColumnFile.of(file, READER, cache(), BuildProgress.NONE);
        assertEquals("the cache file was incomplete or damaged", repaired.rebuildReason());
        assertEquals(first, repaired.column(0).get(0));

        try (FileChannel ch = FileChannel.open(cached, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        assertEquals(
                "the cache file was incomplete or damaged",
                ColumnFile.of(file, READER, cache(), BuildProgress.NONE).rebuildReason());
    }

    @Test
    void aBadCellDeepInTheFileNamesItsLineAndColumnAndLeavesNoCacheFile() throws IOException {
        Path file = csv("prices.csv", 200_000, 187_654);
        CsvFormatException e =
                assertThrows(CsvFormatException.class, () -> ColumnFile.of(file, READER, cache(), BuildProgress.NONE));
        assertEquals(187_656, e.line(), "header is line 1, row 0 is line 2");
        assertEquals("Close", e.column());
        assertEquals(
                file + ", line 187656, column 'Close': '12.5x' is not a number; fix the cell or read another column",
                e.getMessage());
        assertEquals(1, cacheFiles().size(), cacheFiles().toString());
        assertTrue(cacheFiles().get(0).endsWith(".columns.lock"), "only the lock file: no cache file, no temporary");
    }

    @Test
    void theCacheNeverWritesBesideTheData() throws IOException {
        Path file = csv("prices.csv", 100, -1);
        List<String> before;
        try (Stream<Path> s = Files.list(file.getParent())) {
            before = s.map(Path::toString).toList();
        }
        ColumnFile.of(file, READER, cache(), BuildProgress.NONE);
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(before, s.map(Path::toString).toList());
        }
    }

    @Test
    void anUnwritableCacheFolderIsOneLineNamingTheWayOut() throws IOException {
        Path file = csv("prices.csv", 100, -1);
        Path notAFolder = Files.writeString(tmp.resolve("plain-file"), "x");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ColumnFile.of(file, READER, CacheFolder.at(notAFolder.resolve("cache")), BuildProgress.NONE));
        assertTrue(
                e.getMessage().startsWith("cannot write the cache folder " + notAFolder.resolve("cache")),
                e.getMessage());
        assertTrue(
                e.getMessage().endsWith("; set RNN4J_CACHE_DIR or -Drnn4j.cacheDir to a writable folder"),
                e.getMessage());
    }

    @Test
    void progressEndsWithEveryRowAndEveryByte() throws IOException {
        Path file = csv("prices.csv", 1_000, -1);
        List<long[]> calls = new ArrayList<>();
        ColumnFile.of(file, READER, cache(), (what, rows, bytes, total, nanos, done) -> {
            assertEquals("column cache of prices.csv", what);
            calls.add(new long[] {rows, bytes, total, done ? 1 : 0});
        });
        long[] last = calls.get(calls.size() - 1);
        assertArrayEquals(new long[] {1_000, Files.size(file), Files.size(file), 1}, last);
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithoutACacheFile() throws IOException {
        Path file = tmp.resolve("latin1.csv");
        Files.write(file, "Close\n1.5\n2.5 \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThrows(
                java.nio.charset.CharacterCodingException.class,
                () -> ColumnFile.of(file, CsvSeriesReader.forColumns("Close"), cache(), BuildProgress.NONE));
        assertTrue(
                cacheFiles().stream().allMatch(n -> n.endsWith(".lock")),
                cacheFiles().toString());
    }
}
