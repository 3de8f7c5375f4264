package org.rnn4j.data;

import java.util.List;
import java.util.Objects;

/**
 * Facts about one demo dataset shipped in this module (see {@code NOTICE} for licences).
 *
 * @param name          the short name used by {@link DemoData} and the CLI's {@code --data}
 * @param kind          what {@link DemoData} gives back for it
 * @param resource      the classpath resource, relative to {@code org/rnn4j/data/}
 * @param columns       for series: the columns {@link DemoData#series(String)} returns; empty otherwise
 * @param defaultColumn for series: the column to predict by default; {@code null} otherwise
 * @param rows          data rows for series and tables, lines for text
 * @param description   one line on content, span and source
 */
public record DemoDataset(
        String name,
        Kind kind,
        String resource,
        List<String> columns,
        String defaultColumn,
        int rows,
        String description) {

    /** What a demo dataset is. */
    public enum Kind {
        /** One dated numeric series: {@link DemoData#series(String)}. */
        SERIES,
        /** A CSV table with several series in it: {@link DemoData#open(String)} and a CSV reader with a filter. */
        TABLE,
        /** Plain text: {@link DemoData#text(String)}. */
        TEXT
    }

    public DemoDataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(resource, "resource");
        columns = List.copyOf(columns);
        Objects.requireNonNull(description, "description");
    }
}
