package org.rnn4j.zoo.plan;

import java.io.IOException;
import org.rnn4j.api.data.MemoryBudget;
import org.rnn4j.data.csv.ColumnFile;
import org.rnn4j.data.series.SeriesColumns;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.recipe.PreparedData;
import org.rnn4j.zoo.recipe.Preprocessing;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.StreamedStockData;
import org.rnn4j.zoo.recipe.TextPreprocessing;
import org.rnn4j.zoo.recipe.WordPreprocessing;

/** Reads data again for a trained model, with the preprocessing saved beside it (no refitting). */
public final class SavedData {
    private SavedData() {}

    /** The series a saved series model reads: its input columns, read as {@code read} says. */
    public static DataSource.SeriesInput series(StockPreprocessing p, String source, ReadOptions read)
            throws IOException {
        return DataSource.series(source, p.columns(), read);
    }

    /**
     * The last {@code rows} rows (or all, when fewer) of the series a saved model reads: a file too
     * large to read in memory is read through its column cache, and then has no dates.
     */
    public static TimeSeries tail(StockPreprocessing p, String source, ReadOptions read, int rows, Streaming streaming)
            throws IOException {
        if (streaming.streamsSeries(source, p.window(), p.columns().size())) {
            SeriesColumns columns = streamed(p, source, read, streaming).series();
            int n = columns.length();
            int from = Math.max(0, n - rows);
            double[][] values = new double[columns.names().size()][];
            for (int c = 0; c < values.length; c++) {
                values[c] = new double[n - from];
                columns.values().get(c).read(from, values[c], 0, n - from);
            }
            return TimeSeries.of(columns.names(), values, java.util.List.of());
        }
        TimeSeries all = series(p, source, read).series();
        return all.slice(Math.max(0, all.length() - rows), all.length());
    }

    private static ColumnFile streamed(StockPreprocessing p, String source, ReadOptions read, Streaming streaming)
            throws IOException {
        DataSource.StreamedInput input = DataSource.streamedSeries(source, p.columns(), read, streaming);
        ColumnFile columns = input.columns();
        TrainingPlan.note(streaming, columns.wasBuilt(), columns.rebuildReason(), columns.path());
        return columns;
    }

    /** {@code source} cut by the saved preprocessing into its train / validation / test windows. */
    public static PreparedData prepare(Preprocessing p, String source, ReadOptions read) throws IOException {
        return prepare(p, source, read, null);
    }

    /**
     * As {@link #prepare(Preprocessing, String, ReadOptions)}; a one-column series model reads
     * {@code target} instead of its own column when given.
     */
    public static PreparedData prepare(Preprocessing p, String source, ReadOptions read, String target)
            throws IOException {
        return prepare(p, source, read, target, Streaming.OFF);
    }

    /**
     * As {@link #prepare(Preprocessing, String, ReadOptions, String)}; a series file too large to
     * prepare in memory (as {@code streaming} decides) is read through its column cache and its
     * windows cut batch by batch, with the saved scalers: the same windows and scores.
     */
    public static PreparedData prepare(
            Preprocessing p, String source, ReadOptions read, String target, Streaming streaming) throws IOException {
        if (p instanceof StockPreprocessing s) {
            StockPreprocessing renamed = s.readingColumn(target);
            if (streaming.streamsSeries(
                    source, renamed.window(), renamed.columns().size())) {
                StreamedStockData d = renamed.stream(
                        streamed(renamed, source, read, streaming).series());
                MemoryBudget.require(
                        d.scoringBytes(),
                        "scoring " + d.describe(),
                        "raise the heap (RNN4J_JAVA_OPTS=-Xmx2g) or evaluate a shorter file");
                return d;
            }
            return renamed.windows(series(renamed, source, read).series());
        }
        if (target != null || read.symbol() != null) {
            throw new IllegalArgumentException(
                    "--target, --column and --symbol apply to series models; this is a text model");
        }
        String text = DataSource.text(
                source,
                p instanceof TextPreprocessing t
                        ? t.maxCharacters()
                        : p instanceof WordPreprocessing w ? w.maxCharacters() : 0);
        if (p instanceof TextPreprocessing t) {
            return t.windows(text);
        }
        if (p instanceof WordPreprocessing w) {
            return w.windows(text);
        }
        throw new IllegalStateException("unhandled preprocessing " + p.kind());
    }
}
