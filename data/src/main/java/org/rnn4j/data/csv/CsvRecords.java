package org.rnn4j.data.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 tokenizer that keeps each record's 1-based starting line, so every error can name
 * the line a user sees in an editor. Quoted fields may hold the delimiter, doubled quotes and
 * newlines. Blank lines are skipped; a leading byte-order mark is dropped. The delimiter is a comma
 * unless the caller names another (semicolon files from European spreadsheets, tabs). Records are
 * read one at a time ({@link #next()}), so a file of any size streams through a fixed buffer.
 */
final class CsvRecords {
    /** One record and the line it starts on. */
    record Row(int line, List<String> fields) {}

    private static final int BUFFER = 1 << 16;

    private final Reader in;
    private final String source;
    private final char delimiter;
    private final char[] buf = new char[BUFFER];
    private int pos;
    private int end;
    private boolean eof;
    private boolean started;
    private int line = 1;
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();

    CsvRecords(Reader in, String source, char delimiter) {
        this.in = in;
        this.source = source;
        this.delimiter = delimiter;
    }

    /** Every record of {@code in}, comma-separated. */
    static List<Row> read(Reader in, String source) throws IOException {
        return read(in, source, ',');
    }

    /** Every record of {@code in}. */
    static List<Row> read(Reader in, String source, char delimiter) throws IOException {
        CsvRecords records = new CsvRecords(in, source, delimiter);
        List<Row> rows = new ArrayList<>();
        for (Row r = records.next(); r != null; r = records.next()) {
            rows.add(r);
        }
        return rows;
    }

    /** The next record, or {@code null} at the end of the input. */
    Row next() throws IOException {
        fields.clear();
        field.setLength(0);
        int recordLine = line;
        int quoteLine = 0;
        boolean inQuotes = false;
        boolean fieldWasQuoted = false;
        boolean lineHasContent = false;
        int c;
        while ((c = read()) != -1) {
            if (inQuotes) {
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        inQuotes = false;
                    }
                } else {
                    if (c == '\n' || (c == '\r' && peek() != '\n')) {
                        line++;
                    }
                    field.append((char) c);
                }
                continue;
            }
            if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                fieldWasQuoted = false;
                lineHasContent = true;
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.length() > 0 || fieldWasQuoted) {
                        throw new CsvFormatException(
                                source,
                                line,
                                null,
                                "a quote inside an unquoted field; "
                                        + "quote the whole field and double inner quotes (\"\")");
                    }
                    inQuotes = true;
                    fieldWasQuoted = true;
                    lineHasContent = true;
                    quoteLine = line;
                }
                case '\r', '\n' -> {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    line++;
                    if (lineHasContent || field.length() > 0) {
                        fields.add(field.toString());
                        return new Row(recordLine, List.copyOf(fields));
                    }
                    fields.clear();
                    field.setLength(0);
                    fieldWasQuoted = false;
                    recordLine = line;
                }
                default -> {
                    field.append((char) c);
                    lineHasContent = true;
                }
            }
        }
        if (inQuotes) {
            throw new CsvFormatException(
                    source, quoteLine, null, "a quoted field opened here is never closed; " + "add the closing quote");
        }
        if (lineHasContent || field.length() > 0) {
            fields.add(field.toString());
            return new Row(recordLine, List.copyOf(fields));
        }
        return null;
    }

    private int read() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        char c = buf[pos++];
        if (!started) {
            started = true;
            if (c == '\uFEFF') {
                return read();
            }
        }
        return c;
    }

    private int peek() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        return buf[pos];
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }
}
