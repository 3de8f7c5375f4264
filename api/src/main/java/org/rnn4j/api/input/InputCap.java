package org.rnn4j.api.input;

import java.util.Locale;

/**
 * The caps on input from files, one row each of the table in RELIABILITY.md. Every reader of a
 * file from a stranger counts what it actually reads (never a size the file system or the file
 * reports) and stops at its cap. Each cap is a system property or an environment variable, read
 * when the cap is checked, so a user can raise one for a single run: {@code -Drnn4j.maxJsonBytes=...}
 * or {@code RNN4J_MAX_JSON_BYTES=...}. The model-size limit lives in {@link org.rnn4j.api.io.ResourceLimits}.
 */
public enum InputCap {
    /** rnn4j specs, {@code model.json}, {@code rnn4j.json}, Keras architecture JSON (also inside a {@code .keras}). */
    JSON("JSON file", "rnn4j.maxJsonBytes", "RNN4J_MAX_JSON_BYTES", 64L << 20, "bytes"),
    /** Tensor JSON given to {@code predict}, {@code fit}. */
    TENSOR("tensor JSON file", "rnn4j.maxTensorBytes", "RNN4J_MAX_TENSOR_BYTES", 64L << 20, "bytes"),
    /** CSV price files. */
    CSV("CSV file", "rnn4j.maxCsvBytes", "RNN4J_MAX_CSV_BYTES", 64L << 20, "bytes"),
    /** Text corpora; above the cap only the first {@code --max-chars} characters are read. */
    TEXT("text file", "rnn4j.maxTextBytes", "RNN4J_MAX_TEXT_BYTES", 64L << 20, "bytes"),
    /** Keras HDF5 files ({@code .h5}, {@code .weights.h5}); at most 2 GiB - 1, what one mapping holds. */
    HDF5("HDF5 file", "rnn4j.maxHdf5Bytes", "RNN4J_MAX_HDF5_BYTES", Integer.MAX_VALUE, "bytes"),
    /** {@code .keras} archives: the bytes read from the file. */
    ARCHIVE("Keras archive", "rnn4j.maxArchiveBytes", "RNN4J_MAX_ARCHIVE_BYTES", 2L << 30, "bytes"),
    /** One inflated entry of a {@code .keras} archive (the weights; JSON entries are held to {@link #JSON}). */
    ARCHIVE_ENTRY("archive entry", "rnn4j.maxArchiveEntryBytes", "RNN4J_MAX_ARCHIVE_ENTRY_BYTES", 1L << 30, "bytes"),
    /** Inflated bytes per compressed byte actually consumed, for every archive entry. */
    ZIP_RATIO("expansion ratio", "rnn4j.maxZipRatio", "RNN4J_MAX_ZIP_RATIO", 200, "x"),
    /** Wall-clock time allowed to the HDF5 reader for one file. */
    READ_SECONDS("reading time", "rnn4j.maxReadSeconds", "RNN4J_MAX_READ_SECONDS", 60, "s");

    private final String what;
    private final String property;
    private final String env;
    private final long defaultValue;
    private final String unit;

    InputCap(String what, String property, String env, long defaultValue, String unit) {
        this.what = what;
        this.property = property;
        this.env = env;
        this.defaultValue = defaultValue;
        this.unit = unit;
    }

    /** The cap in force: the system property, else the environment variable, else the default. */
    public long value() {
        String v = System.getProperty(property, System.getenv(env));
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    property + " / " + env + " must be a positive whole number (" + unit + "), got '" + v + "'");
        }
    }

    public long defaultValue() {
        return defaultValue;
    }

    public String property() {
        return property;
    }

    public String env() {
        return env;
    }

    /** What is capped, e.g. "JSON file". */
    public String what() {
        return what;
    }

    /** "the JSON file cap of 67108864 bytes" */
    public String describe() {
        return String.format(Locale.ROOT, "the %s cap of %d %s", what, value(), unit);
    }

    /** "raise -Drnn4j.maxJsonBytes / RNN4J_MAX_JSON_BYTES" */
    public String wayOut() {
        return "raise -D" + property + " / " + env;
    }
}
