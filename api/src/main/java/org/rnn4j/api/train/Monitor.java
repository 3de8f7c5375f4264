package org.rnn4j.api.train;

import java.util.List;
import java.util.Locale;
import org.rnn4j.api.compile.Metric;

/**
 * Which way a monitored quantity improves, as Keras 3's {@code MonitorCallback} decides it:
 * {@code min} and {@code max} say it; {@code auto} minimises {@code loss} / {@code val_loss} and
 * follows a compiled metric's own direction ({@code accuracy}, {@code auc}, {@code precision} ...
 * up; errors down); any other name is an error, because guessing would silently invert it.
 */
public final class Monitor {

    /** Keras's {@code mode} argument. */
    public enum Mode {
        AUTO,
        MIN,
        MAX;

        public static Mode fromJson(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "min" -> MIN;
                case "max" -> MAX;
                default -> throw new IllegalArgumentException("unknown mode '" + name + "'; known: auto, min, max");
            };
        }
    }

    private final String name;
    private final boolean maximize;

    private Monitor(String name, boolean maximize) {
        this.name = name;
        this.maximize = maximize;
    }

    /**
     * Resolves the direction of {@code monitor}.
     *
     * @param metrics the model's compiled metrics, which {@code auto} consults
     * @param owner   the callback's name, for the error message
     */
    static Monitor resolve(String owner, String monitor, Mode mode, List<Metric> metrics) {
        if (mode == Mode.MIN || mode == Mode.MAX) {
            return new Monitor(monitor, mode == Mode.MAX);
        }
        String metric = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        if (metric.equals("loss")) {
            return new Monitor(monitor, false);
        }
        for (Metric m : metrics) {
            if (m.jsonName().equals(metric)) {
                return new Monitor(monitor, m.higherIsBetter());
            }
        }
        throw new IllegalArgumentException(owner + " monitors '" + monitor + "' with mode auto, but that is neither"
                + " the loss nor a compiled metric "
                + metrics.stream().map(Metric::jsonName).toList()
                + ", so whether it should rise or fall is unknown; pass mode max or min");
    }

    String name() {
        return name;
    }

    boolean maximize() {
        return maximize;
    }

    /**
     * Keras's {@code _is_improvement}: {@code value} beats {@code reference} by more than
     * {@code minDelta} in the monitored direction; everything beats no reference.
     */
    boolean improves(double value, Double reference, double minDelta) {
        if (reference == null) {
            return true;
        }
        return maximize ? value - minDelta > reference : value + minDelta < reference;
    }
}
