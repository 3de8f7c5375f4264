package org.rnn4j.zoo.plan;

import java.io.IOException;
import org.rnn4j.zoo.recipe.PreparedData;
import org.rnn4j.zoo.recipe.Preprocessing;
import org.rnn4j.zoo.recipe.StockPreprocessing;
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
        if (p instanceof StockPreprocessing s) {
            StockPreprocessing renamed = s.readingColumn(target);
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
