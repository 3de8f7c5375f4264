package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.input.InputTooLargeException;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.DemoDataset;
import org.rnn4j.data.csv.CsvSeriesReader;
import org.rnn4j.data.csv.GapPolicy;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.recipe.Recipe;
import org.rnn4j.zoo.recipe.TextRecipe;
import org.rnn4j.zoo.recipe.WordRecipe;

/** Resolves {@code --data}: a shipped dataset name ({@code sp500}, {@code kjv}, ...) or a file. */
final class DataSources {
    private DataSources() {}

    /** A price series and where it came from. */
    record Series(String source, String column, TimeSeries series) {
        double[] prices() {
            return series.column(column);
        }
    }

    static boolean isShipped(String data) {
        return DemoData.names().stream().anyMatch(n -> n.equalsIgnoreCase(data)) && !Files.exists(Path.of(data));
    }

    /**
     * Reads one price column. {@code column} null: the shipped dataset's default column, else
     * {@code fallbackColumn}. An unknown column is an error listing the columns present.
     */
    static Series series(String data, String column, String fallbackColumn) throws IOException {
        return series(data, column, fallbackColumn, GapPolicy.REFUSE);
    }

    /** As {@link #series(String, String, String)}, with a policy for missing cells of a CSV file. */
    static Series series(String data, String column, String fallbackColumn, GapPolicy gaps) throws IOException {
        if (isShipped(data)) {
            DemoDataset d = DemoData.dataset(data);
            if (d.kind() != DemoDataset.Kind.SERIES) {
                throw new IllegalArgumentException("--data " + data + " is "
                        + d.kind().name().toLowerCase(java.util.Locale.ROOT) + ", not a price series; shipped series: "
                        + DemoData.names(DemoDataset.Kind.SERIES) + ", or give a CSV file");
            }
            String c = column != null ? column : d.defaultColumn();
            TimeSeries all = DemoData.series(d.name());
            int index = all.columnIndex(c);
            return new Series(d.name(), all.columns().get(index), all.select(c));
        }
        Path file = existingFile(data, "a CSV file or a shipped series " + DemoData.names(DemoDataset.Kind.SERIES));
        String c = column != null ? column : fallbackColumn;
        return new Series(
                file.toString(),
                c,
                CsvSeriesReader.forColumns(c).withGapPolicy(gaps).read(file));
    }

    /** Reads a text: a shipped text dataset or a UTF-8 file. */
    static String text(String data) throws IOException {
        return text(data, 0);
    }

    /**
     * Reads a text: a shipped text dataset or a UTF-8 file. A file above {@link InputCap#TEXT} is
     * read only up to its first {@code maxChars} characters (0: all, so it is refused).
     */
    static String text(String data, int maxChars) throws IOException {
        if (isShipped(data)) {
            DemoDataset d = DemoData.dataset(data);
            if (d.kind() != DemoDataset.Kind.TEXT) {
                throw new IllegalArgumentException("--data " + data + " is a price series, not text; shipped texts: "
                        + DemoData.names(DemoDataset.Kind.TEXT) + ", or give a UTF-8 text file");
            }
            return DemoData.text(d.name());
        }
        Path file = existingFile(data, "a UTF-8 text file or a shipped text " + DemoData.names(DemoDataset.Kind.TEXT));
        String text;
        try {
            text = BoundedInput.readText(file, maxChars);
        } catch (InputTooLargeException e) {
            throw new IllegalArgumentException("--data " + file + " is larger than " + InputCap.TEXT.describe()
                    + "; give --max-chars N to read only its first N characters, or " + InputCap.TEXT.wayOut());
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty; give a text to learn from");
        }
        return text;
    }

    /** The characters a text recipe uses: {@code --max-chars} if given, else the recipe's own (0: all). */
    static int maxChars(Integer option, Recipe recipe) {
        if (option != null) {
            return option;
        }
        if (recipe instanceof TextRecipe t) {
            return t.maxCharacters();
        }
        return recipe instanceof WordRecipe w ? w.maxCharacters() : 0;
    }

    static Path existingFile(String data, String what) {
        Path file = Path.of(data);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--data " + data + ": no such file; give " + what);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--data " + data + " is not a regular file; give " + what);
        }
        return file;
    }
}
