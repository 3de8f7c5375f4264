package org.rnn4j.data.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.data.cache.BuildProgress;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.data.cache.CachedFile;
import org.rnn4j.data.cache.CountingInputStream;
import org.rnn4j.data.cache.SourceStamp;
import org.rnn4j.data.series.DoubleSeries;
import org.rnn4j.data.series.SeriesColumns;

/**
 * The numeric columns of a CSV of any size, parsed once into a compact cache file of float64
 * values and memory-mapped: rows are read by range ({@link #column}) without the file ever being
 * in the Java heap. Parsing streams the CSV row by row through {@link CsvSeriesReader#stream}, so
 * every check of {@link CsvSeriesReader#read} applies and a bad cell deep in the file is reported
 * with its line and column; the half-written cache file is deleted.
 *
 * <p>Values are kept as float64, as {@link CsvSeriesReader#read} parses them: percent changes of
 * prices computed from them equal those of the in-memory series bit for bit (float32 storage
 * would change them by up to about one part in a million of a price's magnitude, see
 * BENCHMARKS.md), so a streamed run trains on exactly the numbers an in-memory run does.
 *
 * <p>The cache file lives in a {@link CacheFolder}, named after the CSV and a hash of its path
 * and the reader's settings. It is reused only while the CSV's size, modification time and the
 * checksum of its first 64 KiB are those it was built from and its own checksums hold; otherwise
 * it is rebuilt ({@link #rebuildReason()} says why).
 */
public final class ColumnFile {
    private static final String KIND = "columns";
    private static final long PROGRESS_NANOS = 250_000_000L;

    private final Path path;
    private final List<String> columns;
    private final int rows;
    private final CachedFile.Payload payload;
    private final String rebuildReason;

    private ColumnFile(Path path, List<String> columns, int rows, CachedFile.Payload payload, String rebuildReason) {
        this.path = path;
        this.columns = columns;
        this.rows = rows;
        this.payload = payload;
        this.rebuildReason = rebuildReason;
    }

    /** The columns {@code reader} reads from {@code csv}, cached in the user's {@link CacheFolder#standard()}. */
    public static ColumnFile of(Path csv, CsvSeriesReader reader) throws IOException {
        return of(csv, reader, CacheFolder.standard(), BuildProgress.NONE);
    }

    /**
     * The columns {@code reader} reads from {@code csv}: the cache file in {@code folder} when it
     * matches, else built now (reporting to {@code progress}).
     *
     * @throws CsvFormatException for bad content, naming the line and column; no cache file is left
     */
    public static ColumnFile of(Path csv, CsvSeriesReader reader, CacheFolder folder, BuildProgress progress)
            throws IOException {
        String settings = reader.toString();
        CacheFolder.Opened opened =
                folder.open(KIND, csv, settings, (stamp, tmp) -> write(csv, reader, stamp, settings, tmp, progress));
        Path target = opened.path();
        CachedFile file = opened.file();
        JsonNode meta = file.metadata();
        List<String> names = new ArrayList<>();
        meta.path("columns").forEach(n -> names.add(n.asText()));
        return new ColumnFile(
                target, List.copyOf(names), meta.path("rows").asInt(), file.map(), opened.rebuiltBecause());
    }

    private static void write(
            Path csv, CsvSeriesReader reader, SourceStamp stamp, String settings, Path tmp, BuildProgress progress)
            throws IOException {
        String what = "column cache of " + csv.getFileName();
        long start = System.nanoTime();
        long[] shown = {start};
        try (CountingInputStream bytes = new CountingInputStream(Files.newInputStream(csv));
                Reader text = new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder());
                CachedFile.Output out = new CachedFile.Output(tmp)) {
            long rows = reader.stream(text, csv.toString(), (line, date, values) -> {
                for (double v : values) {
                    out.putDouble(v);
                }
                long done = out.payloadBytes() / (8L * values.length);
                if (done >= Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException(csv + " has more than " + (Integer.MAX_VALUE - 8)
                            + " rows, more than a series can index; split the file");
                }
                if ((done & 0xFFFF) == 0) {
                    long now = System.nanoTime();
                    if (now - shown[0] >= PROGRESS_NANOS) {
                        shown[0] = now;
                        progress.update(what, done, bytes.count(), stamp.size(), now - start, false);
                    }
                }
            });
            SourceStamp after = SourceStamp.of(csv);
            if (after.size() != stamp.size() || after.modifiedNanos() != stamp.modifiedNanos()) {
                throw new IOException(csv + " changed while it was being read; read it again when it is complete");
            }
            ObjectNode meta = CachedFile.newMetadata();
            meta.put("kind", KIND);
            meta.put("settings", settings);
            stamp.write(meta);
            ArrayNode names = meta.putArray("columns");
            reader.columns().forEach(names::add);
            meta.put("rows", rows);
            meta.put("dtype", "float64");
            out.finish(meta);
            progress.update(what, rows, stamp.size(), stamp.size(), System.nanoTime() - start, true);
        }
    }

    /** The cache file. */
    public Path path() {
        return path;
    }

    /** Why the cache file was (re)built by this call, or {@code null} when an existing one was reused. */
    public String rebuildReason() {
        return rebuildReason;
    }

    /** True when this call built the cache file. */
    public boolean wasBuilt() {
        return rebuildReason != null;
    }

    public int rows() {
        return rows;
    }

    public List<String> columns() {
        return columns;
    }

    /** Column {@code index}'s values, read from the mapped file. */
    public DoubleSeries column(int index) {
        if (index < 0 || index >= columns.size()) {
            throw new IllegalArgumentException(
                    "column index must be in [0, " + columns.size() + "), got " + index + "; columns: " + columns);
        }
        int stride = columns.size();
        return new DoubleSeries() {
            @Override
            public int length() {
                return rows;
            }

            @Override
            public void read(int from, double[] dst, int offset, int count) {
                DoubleSeries.checkRange(from, count, rows);
                if (stride == 1) {
                    payload.readDoubles(from, dst, offset, count);
                    return;
                }
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = payload.getDouble((long) (from + i) * stride + index);
                }
            }

            @Override
            public double get(int i) {
                DoubleSeries.checkRange(i, 1, rows);
                return payload.getDouble((long) i * stride + index);
            }

            @Override
            public String toString() {
                return "column '" + columns.get(index) + "' of " + path;
            }
        };
    }

    /** Every column, read from the mapped file. */
    public SeriesColumns series() {
        List<DoubleSeries> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            values.add(column(i));
        }
        return new SeriesColumns(columns, values);
    }

    /** The column called {@code name} (matched ignoring case). */
    public DoubleSeries column(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return column(i);
            }
        }
        throw new IllegalArgumentException("the column file has no column '" + name + "'; it has " + columns);
    }

    @Override
    public String toString() {
        return "ColumnFile[" + rows + " rows of " + columns + " in " + path + "]";
    }
}
