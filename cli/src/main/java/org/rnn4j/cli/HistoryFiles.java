package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.rnn4j.api.train.History;

/** {@code history.json} and {@code history.csv}: per epoch, the training and validation loss and metrics. */
final class HistoryFiles {
    private HistoryFiles() {
    }

    /** {@code {"epoch": [1, 2, ..], "loss": [..], "mae": [..], "val_loss": [..], .., "seconds": [..]}}. */
    static ObjectNode json(History h) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode epochs = o.putArray("epoch");
        for (int e = 1; e <= h.epochs(); e++) {
            epochs.add(e);
        }
        for (Map.Entry<String, List<Double>> series : h.history().entrySet()) {
            ArrayNode a = o.putArray(series.getKey());
            series.getValue().forEach(a::add);
        }
        ArrayNode s = o.putArray("seconds");
        h.secondsPerEpoch().forEach(s::add);
        return o;
    }

    static String csv(History h) {
        List<String> keys = new ArrayList<>(h.history().keySet());
        StringBuilder b = new StringBuilder("epoch");
        keys.forEach(k -> b.append(',').append(k));
        b.append(",seconds\n");
        for (int e = 0; e < h.epochs(); e++) {
            b.append(e + 1);
            for (String k : keys) {
                b.append(',').append(String.format(Locale.ROOT, "%s", h.get(k).get(e)));
            }
            b.append(',').append(String.format(Locale.ROOT, "%.3f", h.secondsPerEpoch().get(e))).append('\n');
        }
        return b.toString();
    }
}
