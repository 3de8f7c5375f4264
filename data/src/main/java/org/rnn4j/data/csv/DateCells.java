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

    /**
     * A formatter for a user's {@code pattern} ({@link DateTimeFormatter} letters, English month
     * names, strict: {@code 2021-02-30} is refused); a bad pattern is an error naming it.
     */
    static DateTimeFormatter pattern(String pattern) {
        try {
            return new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern(pattern.replace("yyyy", "uuuu").replace("yy", "uu"))
                    .toFormatter(Locale.ENGLISH)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("date format '" + pattern + "' is not a valid pattern (" + e.getMessage()
                    + "); use letters such as dd.MM.yyyy, MM/dd/yyyy or yyyyMMdd");
        }
    }

    /** The date in {@code text} read with {@code format}, or {@code null} when it does not match. */
    static LocalDate parse(String text, DateTimeFormatter format) {
        try {
            return LocalDate.parse(text.trim(), format);
        } catch (DateTimeParseException notThisForm) {
            // Designed fallback: the caller reports the cell with the expected pattern.
            return null;
        }
    }

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
