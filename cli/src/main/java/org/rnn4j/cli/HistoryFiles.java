package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.api.checkpoint.Checkpoints;
import org.rnn4j.api.train.History;

/**
 * {@code history.json} and {@code history.csv}: per epoch, the training and validation loss and
 * metrics, the epoch's seconds and the seconds it waited for data.
 */
final class HistoryFiles {
    private HistoryFiles() {}

    /** {@code history.json}: the history's one JSON form ({@link Checkpoints#historyJson}). */
    static ObjectNode json(History h) {
        return Checkpoints.historyJson(h);
    }

    static String csv(History h) {
        List<String> keys = new ArrayList<>(h.history().keySet());
        StringBuilder b = new StringBuilder("epoch");
        keys.forEach(k -> b.append(',').append(k));
        b.append(",seconds,").append(History.DATA_WAIT_KEY).append('\n');
        for (int e = 0; e < h.epochs(); e++) {
            b.append(e + 1);
            for (String k : keys) {
                b.append(',').append(String.format(Locale.ROOT, "%s", h.get(k).get(e)));
            }
            b.append(',')
                    .append(String.format(
                            Locale.ROOT, "%.3f", h.secondsPerEpoch().get(e)))
                    .append(',')
                    .append(String.format(
                            Locale.ROOT, "%.3f", h.dataWaitSeconds().get(e)))
                    .append('\n');
        }
        return b.toString();
    }
}
