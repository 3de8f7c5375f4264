package org.rnn4j.api.tensor;

import java.util.Arrays;
import java.util.Locale;

/** Element types a public tensor may hold: float inputs/outputs, int token ids. */
public enum DType {
    FLOAT32("float32"),
    INT32("int32");

    private final String jsonName;

    DType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON files ({@code "float32"}, {@code "int32"}). */
    public String jsonName() {
        return jsonName;
    }

    /** Parses a JSON dtype name; an unknown one lists the known ones. */
    public static DType fromJson(String name) {
        for (DType d : values()) {
            if (d.jsonName.equals(name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; known: "
                + Arrays.stream(values()).map(DType::jsonName).toList());
    }
}
