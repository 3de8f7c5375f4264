package org.rnn4j.api.backend;

/** A failure inside an engine, wrapped once, with the id of the backend it came from. */
public class BackendException extends RuntimeException {
    private final String backendId;

    public BackendException(String backendId, String message, Throwable cause) {
        super("[" + backendId + "] " + message, cause);
        this.backendId = backendId;
    }

    public BackendException(String backendId, String message) {
        this(backendId, message, null);
    }

    public String backendId() {
        return backendId;
    }
}
