package org.rnn4j.api.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code fit} returns, as Keras's {@code History}: per epoch, the training loss and metrics
 * ({@code loss}, {@code mae}, ...) and, with validation data, {@code val_loss}, {@code val_mae}, ...;
 * plus the wall-clock seconds of each epoch and, of those, the seconds the training loop waited for
 * its next batch ({@link #dataWaitSeconds()}; saved as {@value #DATA_WAIT_KEY}, a name no Keras
 * metric has): when it is a large share of the epoch, input is the bottleneck.
 */
public final class History {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<Double> seconds = new ArrayList<>();
    private final List<Double> dataWait = new ArrayList<>();

    /** The key of {@link #dataWaitSeconds()} in {@code history.json}, {@code history.csv} and checkpoints. */
    public static final String DATA_WAIT_KEY = "data_wait_seconds";

    public History() {}

    /** A copy of a saved history (one written before data waits were recorded has none: they read as 0). */
    public History(Map<String, List<Double>> values, List<Double> seconds) {
        this(values, seconds, List.of());
    }

    /** A copy of a saved history with the seconds each epoch waited for data. */
    public History(Map<String, List<Double>> values, List<Double> seconds, List<Double> dataWaitSeconds) {
        values.forEach((k, v) -> this.values.put(k, new ArrayList<>(v)));
        this.seconds.addAll(seconds);
        for (int e = 0; e < seconds.size(); e++) {
            dataWait.add(e < dataWaitSeconds.size() ? dataWaitSeconds.get(e) : 0.0);
        }
    }

    public void record(Map<String, Double> logs, double epochSeconds) {
        record(logs, epochSeconds, 0);
    }

    /**
     * One epoch's logs, its wall-clock seconds and the seconds of those the training loop spent
     * waiting for batches (training and validation).
     */
    public void record(Map<String, Double> logs, double epochSeconds, double dataWaitSeconds) {
        logs.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        seconds.add(epochSeconds);
        dataWait.add(dataWaitSeconds);
    }

    /** Every series by key, in insertion order ({@code loss} first). */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(v)));
        return Collections.unmodifiableMap(copy);
    }

    public List<Double> get(String key) {
        List<Double> v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("history has no '" + key + "'; it has " + values.keySet());
        }
        return Collections.unmodifiableList(v);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    public int epochs() {
        return seconds.size();
    }

    public List<Double> secondsPerEpoch() {
        return Collections.unmodifiableList(seconds);
    }

    /** Per epoch, the seconds the training loop waited for its next batch (0 when the data was always ready). */
    public List<Double> dataWaitSeconds() {
        return Collections.unmodifiableList(dataWait);
    }

    /** Appends another history (a resumed run's continuation). */
    public void append(History other) {
        for (int e = 0; e < other.epochs(); e++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            for (var entry : other.values.entrySet()) {
                logs.put(entry.getKey(), entry.getValue().get(e));
            }
            record(logs, other.seconds.get(e), other.dataWait.get(e));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof History h && values.equals(h.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "History" + values;
    }

    /**
     * The history's one JSON form (checkpoints, saved models, {@code history.json}): {@code epoch}
     * (1-based), one array per logged value, and {@code seconds} per epoch.
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        var epochs = o.putArray("epoch");
        for (int e = 1; e <= epochs(); e++) {
            epochs.add(e);
        }
        history().forEach((k, v) -> {
            var arr = o.putArray(k);
            v.forEach(arr::add);
        });
        var secs = o.putArray("seconds");
        secondsPerEpoch().forEach(secs::add);
        var waits = o.putArray(DATA_WAIT_KEY);
        dataWaitSeconds().forEach(waits::add);
        return o;
    }
}
