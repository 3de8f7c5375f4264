package org.rnn4j.zoo.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The reference values made by {@code zoo/scripts/forecast_stats_reference.py} (an independent
 * pure-Python float64 implementation; regenerate with the command in its docstring).
 */
final class Reference {
    private static JsonNode cached;

    private Reference() {}

    static synchronized JsonNode get() {
        if (cached == null) {
            try (InputStream in = Reference.class.getResourceAsStream("forecast-stats-reference.json")) {
                cached = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
