package org.rnn4j.api.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.SpecJson;

/**
 * Keras 3's {@code ModelCheckpoint}: at the end of each epoch the model is saved (atomically, as
 * {@code Model.save}: model.json, weights.bin, rnn4j.json with the history so far) to
 * {@code filepath}, a folder name that may hold Python format fields as Keras's:
 * {@code {epoch}} (1-based), {@code {epoch:02d}}, or any log key such as {@code {val_loss:.4f}}.
 * With {@code saveBestOnly} only an epoch whose {@code monitor} beats the best so far (and
 * {@code initialValueThreshold}, when given) is saved. A field or monitor missing from the logs is
 * an error naming the keys there are.
 */
public final class ModelCheckpoint implements Callback {
    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

    private final String filepath;
    private final String monitor;
    private final boolean saveBestOnly;
    private final Monitor.Mode mode;
    private final Double initialValueThreshold;

    private Monitor direction;
    private Double best;

    public ModelCheckpoint(
            String filepath, String monitor, boolean saveBestOnly, Monitor.Mode mode, Double initialValueThreshold) {
        if (filepath == null || filepath.isBlank()) {
            throw new IllegalArgumentException("ModelCheckpoint needs a filepath");
        }
        this.filepath = filepath;
        this.monitor = monitor == null ? "val_loss" : monitor;
        this.saveBestOnly = saveBestOnly;
        this.mode = mode == null ? Monitor.Mode.AUTO : mode;
        this.initialValueThreshold = initialValueThreshold;
    }

    /** Every epoch to {@code filepath}, Keras's defaults otherwise. */
    public ModelCheckpoint(String filepath) {
        this(filepath, "val_loss", false, Monitor.Mode.AUTO, null);
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        if (saveBestOnly) {
            direction = Monitor.resolve(
                    "ModelCheckpoint", monitor, mode, ctx.spec().compile().metrics());
        }
        best = initialValueThreshold;
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        Path dir = Path.of(format(filepath, epoch, logs));
        if (saveBestOnly) {
            Double current = logs.get(monitor);
            if (current == null) {
                throw new IllegalStateException("ModelCheckpoint monitors '" + monitor + "' but the epoch's logs have "
                        + logs.keySet() + "; give validation data or monitor one of those");
            }
            if (!direction.improves(current, best, 0)) {
                return;
            }
            best = current;
        }
        ObjectNode extras = SpecJson.mapper().createObjectNode();
        extras.set("history", ctx.history().toJson());
        try {
            ModelFiles.save(dir, ctx.spec(), ctx.weights().snapshot(), extras);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint cannot save to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The best monitored value saved so far, or null. */
    public Double best() {
        return best;
    }

    /** Keras's {@code filepath.format(epoch=epoch + 1, **logs)} for the fields rnn4j understands. */
    static String format(String pattern, int epoch, Map<String, Double> logs) {
        Matcher m = FIELD.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String spec = m.group(2);
            Object value;
            if (key.equals("epoch")) {
                value = epoch + 1;
            } else if (logs.containsKey(key)) {
                value = logs.get(key);
            } else {
                throw new IllegalArgumentException("ModelCheckpoint filepath '" + pattern + "' names {" + key
                        + "}, which is neither epoch nor in the logs " + logs.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(field(value, spec, pattern)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String field(Object value, String spec, String pattern) {
        if (spec == null || spec.isEmpty()) {
            return value instanceof Double d ? CsvLogger.python(d) : value.toString();
        }
        Matcher f = Pattern.compile("(0?)(\\d*)(?:\\.(\\d+))?([dfe])").matcher(spec);
        if (!f.matches()) {
            throw new IllegalArgumentException("ModelCheckpoint filepath '" + pattern + "' has the format '" + spec
                    + "'; rnn4j understands d, f and e with a width and precision, e.g. 02d or .4f");
        }
        String flags = (f.group(1).isEmpty() ? "" : "0") + f.group(2) + (f.group(3) == null ? "" : "." + f.group(3));
        char type = f.group(4).charAt(0);
        if (type == 'd') {
            if (!(value instanceof Integer)) {
                throw new IllegalArgumentException(
                        "ModelCheckpoint filepath '" + pattern + "' formats a decimal number with d; use f");
            }
            return String.format(Locale.ROOT, "%" + flags + "d", value);
        }
        double d = ((Number) value).doubleValue();
        String precision = f.group(3) == null ? ".6" : "";
        return String.format(Locale.ROOT, "%" + flags + precision + type, d);
    }
}
