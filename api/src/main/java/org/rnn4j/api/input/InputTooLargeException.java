package org.rnn4j.api.input;

import java.nio.file.Path;

/** A file holds more than its {@link InputCap} allows; raised after reading one byte past the cap, whatever the file claimed. */
public final class InputTooLargeException extends IllegalArgumentException {
    private final transient Path file;
    private final InputCap cap;

    public InputTooLargeException(Path file, InputCap cap, String detail) {
        super(file + " " + detail + " " + cap.describe() + "; " + cap.wayOut());
        this.file = file;
        this.cap = cap;
    }

    public Path file() {
        return file;
    }

    public InputCap cap() {
        return cap;
    }
}
