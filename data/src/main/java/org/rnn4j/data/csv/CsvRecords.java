package org.rnn4j.data.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 tokenizer that keeps each record's 1-based starting line, so every error can name
 * the line a user sees in an editor. Quoted fields may hold the delimiter, doubled quotes and
 * newlines. Blank lines are skipped; a leading byte-order mark is dropped. The delimiter is a comma
 * unless the caller names another (semicolon files from European spreadsheets, tabs).
 */
final class CsvRecords {
    /** One record and the line it starts on. */
    record Row(int line, List<String> fields) {}

    private CsvRecords() {}

    static List<Row> read(Reader in, String source) throws IOException {
        return read(in, source, ',');
    }

    static List<Row> read(Reader in, String source, char delimiter) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int quoteLine = 0;
        boolean inQuotes = false;
        boolean fieldWasQuoted = false;
        boolean lineHasContent = false;
        boolean first = true;
        int c;
        while ((c = in.read()) != -1) {
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (inQuotes) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        inQuotes = false;
                        if (next != -1) {
                            in.reset();
                        }
                    }
                } else {
                    if (c == '\n' || (c == '\r' && !peekNewline(in))) {
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
                    if (c == '\r') {
                        skipNewline(in);
                    }
                    if (lineHasContent || field.length() > 0) {
                        fields.add(field.toString());
                        rows.add(new Row(recordLine, List.copyOf(fields)));
                    }
                    fields.clear();
                    field.setLength(0);
                    fieldWasQuoted = false;
                    lineHasContent = false;
                    line++;
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
            rows.add(new Row(recordLine, List.copyOf(fields)));
        }
        return rows;
    }

    private static boolean peekNewline(Reader in) throws IOException {
        in.mark(1);
        int next = in.read();
        in.reset();
        return next == '\n';
    }

    private static void skipNewline(Reader in) throws IOException {
        in.mark(1);
        if (in.read() != '\n') {
            in.reset();
        }
    }
}
