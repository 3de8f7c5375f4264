package org.rnn4j.api.json;

/**
 * A spec or model file that cannot be used: names the JSON path, the rule and the value, and the
 * way out. An {@link IllegalArgumentException}, so the CLI maps it to exit code 2.
 */
public class SpecException extends IllegalArgumentException {
    private final String path;

    public SpecException(String path, String message) {
        super(path == null || path.isEmpty() ? message : path + ": " + message);
        this.path = path;
    }

    public SpecException(String path, String message, Throwable cause) {
        this(path, message);
        initCause(cause);
    }

    /** The JSON path of the offending value ({@code $.layers[1].units}), or empty. */
    public String path() {
        return path;
    }
}
