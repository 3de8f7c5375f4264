package org.rnn4j.api.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.Optimizer;
import org.rnn4j.api.train.TrainingContext;

/**
 * Resumable training checkpoints: a saved model (atomic, see {@link ModelFiles}) whose
 * {@code rnn4j.json} also holds the finished epoch, the optimizer state and the history. Since
 * batch order and dropout masks derive from {@code (seed, epoch, batch)}, training resumed from a
 * checkpoint ends with the same weights and history as an uninterrupted run.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** A model restored from a checkpoint, and the epoch to continue from. */
    public record Resumed(Model model, int nextEpoch, JsonNode extras) {}

    /** Saves {@code model} as the checkpoint of finished epoch {@code epoch} (0-based). */
    public static void save(Path dir, Model model, int epoch, ObjectNode extras) throws IOException {
        ObjectNode doc = extras == null ? SpecJson.mapper().createObjectNode() : extras.deepCopy();
        ObjectNode cp = doc.putObject("checkpoint");
        cp.put("epoch", epoch);
        Optimizer.OptimizerState state = model.optimizer().state();
        cp.put("iterations", state.iterations());
        ObjectNode slots = cp.putObject("slots");
        state.slots().forEach((k, v) -> slots.put(k, encode(v)));
        doc.set("history", historyJson(model.history()));
        model.save(dir, doc);
    }

    /** Loads a checkpoint onto {@code backend}: weights, optimizer state and history restored. */
    public static Resumed restore(Path dir, Backend backend) throws IOException {
        LoadedModel loaded = ModelFiles.load(dir);
        if (loaded.extras() == null || loaded.extras().get("checkpoint") == null) {
            throw new SpecException(
                    "", dir + " holds no training checkpoint; resume from the run folder that 'train' wrote");
        }
        return restore(loaded, dir.resolve(ModelFiles.RNN4J_JSON), backend);
    }

    static Resumed restore(LoadedModel loaded, Path doc, Backend backend) {
        State s = state(loaded.extras(), doc);
        Model model = Model.withWeights(loaded.spec(), backend, loaded.weights());
        try {
            model.optimizer().restore(new Optimizer.OptimizerState(s.iterations(), s.slots()));
        } catch (IllegalArgumentException e) {
            model.close();
            throw new SpecException("$.checkpoint.slots", doc + ": " + e.getMessage(), e);
        }
        model.history().append(history(loaded.extras().get("history")));
        return new Resumed(model, s.epoch() + 1, loaded.extras());
    }

    /** A checkpoint's training state, checked field by field. */
    record State(int epoch, long iterations, Map<String, float[]> slots) {}

    static State state(JsonNode extras, Path doc) {
        JsonNode cp = extras.get("checkpoint");
        if (cp == null || !cp.isObject()) {
            throw lacks(doc, "checkpoint");
        }
        JsonNode epoch = cp.get("epoch");
        JsonNode iterations = cp.get("iterations");
        JsonNode slots = cp.get("slots");
        if (epoch == null || !epoch.canConvertToInt() || epoch.asInt() < 0) {
            throw lacks(doc, "checkpoint.epoch");
        }
        if (iterations == null || !iterations.canConvertToLong() || iterations.asLong() < 0) {
            throw lacks(doc, "checkpoint.iterations");
        }
        if (slots == null || !slots.isObject()) {
            throw lacks(doc, "checkpoint.slots");
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        var it = slots.fields();
        while (it.hasNext()) {
            var e = it.next();
            try {
                values.put(e.getKey(), decode(e.getValue().asText()));
            } catch (IllegalArgumentException bad) {
                throw new SpecException(
                        "$.checkpoint.slots." + e.getKey(),
                        doc + ": is not base64 float32 data; the checkpoint is corrupt");
            }
        }
        return new State(epoch.asInt(), iterations.asLong(), values);
    }

    private static SpecException lacks(Path doc, String field) {
        return new SpecException(
                "",
                doc + " lacks a valid '" + field + "', so the run cannot be continued (the checkpoint is incomplete or"
                        + " from an older rnn4j); start a new run without --resume");
    }

    /**
     * A callback saving a checkpoint at the end of every epoch. A save that fails (a full disk)
     * stops training with a message naming the file that could not be written; the previous
     * checkpoint is untouched, since saves are atomic.
     */
    public static Callback every(Path dir, Model model, ObjectNode extras) {
        return new Callback() {
            @Override
            public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
                try {
                    save(dir, model, epoch, extras);
                } catch (IOException e) {
                    throw new UncheckedIOException(new IOException(
                            "the checkpoint of epoch " + (epoch + 1) + " could not be saved: " + e.getMessage()
                                    + (epoch > 0
                                            ? "; the checkpoint of epoch " + epoch + " in " + dir
                                                    + " is kept, so the run can resume from it"
                                            : ""),
                            e));
                }
            }
        };
    }

    /**
     * The one JSON form of a history, used by {@code history.json}, {@code rnn4j.json} and
     * checkpoints: {@code {"epoch": [1, 2, ..], "loss": [..], "val_loss": [..], .., "seconds": [..],
     * "data_wait_seconds": [..]}}.
     */
    public static ObjectNode historyJson(History h) {
        return h.toJson();
    }

    /** Reads {@link #historyJson}'s form. */
    public static History history(JsonNode node) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        List<Double> seconds = new ArrayList<>();
        List<Double> dataWait = new ArrayList<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> {
                List<Double> list = new ArrayList<>();
                e.getValue().forEach(v -> list.add(v.asDouble()));
                switch (e.getKey()) {
                    case "seconds" -> seconds.addAll(list);
                    case History.DATA_WAIT_KEY -> dataWait.addAll(list);
                    case "epoch" -> {
                        // 1..n, derived from the series' length
                    }
                    default -> values.put(e.getKey(), list);
                }
            });
        }
        return new History(values, seconds, dataWait);
    }

    private static String encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static float[] decode(String s) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
