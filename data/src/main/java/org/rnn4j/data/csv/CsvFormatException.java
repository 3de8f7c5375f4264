package org.rnn4j.data.csv;

/**
 * Bad content in a CSV file: the message names the file, the 1-based line, the column and the
 * offending text where they apply, and says how to fix it. Unchecked like every bad-input error;
 * reading failures of the file itself are {@link java.io.IOException}s.
 */
public final class CsvFormatException extends IllegalArgumentException {
    private final String source;
    private final int line;
    private final String column;

    CsvFormatException(String source, int line, String column, String message) {
        super(prefix(source, line, column) + message);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    private static String prefix(String source, int line, String column) {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(", line ").append(line);
        }
        if (column != null) {
            b.append(", column '").append(column).append('\'');
        }
        return b.append(": ").toString();
    }

    /** The file or stream name the reader was given. */
    public String source() {
        return source;
    }

    /** The 1-based line number in the file, or 0 when the problem is not tied to one line. */
    public int line() {
        return line;
    }

    /** The column's header name, or {@code null} when the problem is not tied to one column. */
    public String column() {
        return column;
    }
}
