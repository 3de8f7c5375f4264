package org.rnn4j.api.backend;

import java.util.Locale;

/**
 * How rnn4j reads its on/off settings ({@code rnn4j.splitBatch}, {@code rnn4j.autotune} and
 * {@code RNN4J_AUTOTUNE}, {@code rnn4j.deterministic}, {@code rnn4j.tf.onednn}): {@code true},
 * {@code on} or {@code 1}; {@code false}, {@code off} or {@code 0} (any case, spaces around
 * ignored); missing or blank for the default. (The quiet-start and native-run switches are off
 * only for {@code false}.)
 */
public final class OnOff {
    private OnOff() {}

    /**
     * The setting {@code value}, or {@code unset} when it is null or blank.
     *
     * @param what   how the message names the setting, e.g. {@code "system property rnn4j.x"}
     * @param wayOut what the message adds after the problem (e.g. how to get the default), or null
     * @throws IllegalArgumentException if {@code value} is none of the spellings, in one line naming
     *     {@code what} and the value
     */
    public static boolean parse(String what, String value, boolean unset, String wayOut) {
        if (value == null || value.isBlank()) {
            return unset;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "1" -> true;
            case "false", "off", "0" -> false;
            default ->
                throw new IllegalArgumentException(
                        what + " must be true or false, got '" + value + "'" + (wayOut == null ? "" : "; " + wayOut));
        };
    }
}
