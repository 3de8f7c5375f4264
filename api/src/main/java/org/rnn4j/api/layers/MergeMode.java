package org.rnn4j.api.layers;

import java.util.Arrays;

/** How {@link BidirectionalSpec} combines the forward and backward outputs. */
public enum MergeMode {
    CONCAT("concat"),
    SUM("sum"),
    MUL("mul"),
    AVE("ave");

    private final String jsonName;

    MergeMode(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static MergeMode fromJson(String name) {
        for (MergeMode m : values()) {
            if (m.jsonName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown merge_mode '" + name + "'; known: "
                + Arrays.stream(values()).map(MergeMode::jsonName).toList());
    }
}
