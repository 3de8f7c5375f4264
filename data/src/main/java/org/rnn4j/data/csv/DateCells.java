package org.rnn4j.data.csv;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;

/** Parses the date forms found in the files this reader targets: Yahoo's ISO dates and vega's {@code Jan 1 2000}. */
final class DateCells {
    static final String ACCEPTED = "yyyy-MM-dd (2000-01-03) or MMM d yyyy (Jan 3 2000)";

    private static final List<DateTimeFormatter> FORMATS = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE,
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern("MMM d uuuu")
                    .toFormatter(Locale.ENGLISH)
                    .withResolverStyle(ResolverStyle.STRICT));

    private DateCells() {}

    /** The date in {@code text}, or {@code null} when no accepted form matches. */
    static LocalDate parse(String text) {
        String trimmed = text.trim();
        for (DateTimeFormatter format : FORMATS) {
            try {
                return LocalDate.parse(trimmed, format);
            } catch (DateTimeParseException notThisForm) {
                // Designed fallback: try the next accepted form; the caller reports when none matches.
            }
        }
        return null;
    }
}
