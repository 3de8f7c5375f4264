package org.rnn4j.api.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;

/**
 * Continuing an interrupted run, so that it cannot go wrong silently. A checkpoint records, beside
 * the weights, optimizer state and history ({@link Checkpoints}): the exact spec (with its fit
 * settings), the engine, a {@link DataFingerprint} of the data used and the run's own arguments
 * ({@link #record}). Resuming reads all of them (one line for anything missing), continues on
 * the recorded engine unless another is asked for, and refuses another engine or other data
 * unless forced: same settings, same result holds only for the same engine and data.
 */
public final class Resume {
    public static final String ENGINE = "engine";
    public static final String DATA = "data";
    public static final String ARGS = "train_args";

    private final Path doc;
    private final LoadedModel loaded;
    private final ObjectNode args;

    private Resume(Path doc, LoadedModel loaded, ObjectNode args) {
        this.doc = doc;
        this.loaded = loaded;
        this.args = args;
    }

    /** The fields a checkpoint's {@code rnn4j.json} carries about its run. */
    public static ObjectNode record(ObjectNode args, String engine, DataFingerprint data) {
        ObjectNode o = SpecJson.mapper().createObjectNode();
        o.set(ARGS, args);
        o.put(ENGINE, engine);
        o.set(DATA, data.toJson());
        return o;
    }

    /** Reads the checkpoint of a locked and repaired run folder. */
    public static Resume read(RunFolder run) throws IOException {
        if (!run.hasCheckpoint()) {
            throw new IllegalArgumentException(
                    run.dir() + " has no training checkpoint to resume; start a new run without --resume");
        }
        LoadedModel loaded = ModelFiles.load(run.checkpoint());
        Path doc = run.checkpoint().resolve(ModelFiles.RNN4J_JSON);
        JsonNode x = loaded.extras();
        if (x == null) {
            throw missing(doc, ModelFiles.RNN4J_JSON);
        }
        Checkpoints.state(x, doc);
        JsonNode args = x.get(ARGS);
        if (args == null || !args.isObject()) {
            throw missing(doc, ARGS);
        }
        return new Resume(doc, loaded, (ObjectNode) args);
    }

    private static SpecException missing(Path doc, String field) {
        return new SpecException(
                "",
                doc + " lacks '" + field + "', so the run cannot be continued (the checkpoint is incomplete or from"
                        + " an older rnn4j); start a new run without --resume");
    }

    /** The run's own arguments, as the first run recorded them. */
    public ObjectNode trainArgs() {
        return args;
    }

    /** The exact spec the run trains, with its fit settings. */
    public ModelSpec spec() {
        return loaded.spec();
    }

    /**
     * The engine to continue on: the recorded one when {@code requested} is null; another one only
     * with {@code force} (it would not end with the same weights).
     */
    public String engine(String requested, boolean force) {
        JsonNode e = loaded.extras().get(ENGINE);
        if (e == null || !e.isTextual()) {
            if (force) {
                return requested;
            }
            throw new SpecException(
                    "",
                    doc + " does not record the engine the run trained on (an older rnn4j); add --force to continue"
                            + " on " + (requested != null ? requested : "the default engine") + " anyway");
        }
        String recorded = e.asText();
        if (requested == null || requested.equals(recorded)) {
            return recorded;
        }
        if (force) {
            return requested;
        }
        throw new IllegalArgumentException("the run in " + doc.getParent().getParent() + " trained on " + recorded
                + "; continuing on " + requested
                + " would not end with the same weights: drop --backend to continue on "
                + recorded + ", or add --force to continue on " + requested);
    }

    /** Refuses data other than the recorded data, unless {@code force}. */
    public void checkData(DataFingerprint now, boolean force) {
        JsonNode d = loaded.extras().get(DATA);
        if (d == null) {
            if (force) {
                return;
            }
            throw new SpecException(
                    "",
                    doc + " does not record the data the run trained on (an older rnn4j); add --force to continue on "
                            + now.source() + " anyway");
        }
        DataFingerprint then = DataFingerprint.fromJson(d, doc.toString());
        if (!then.sameData(now) && !force) {
            throw new IllegalArgumentException(
                    "the data differ from those the run in " + doc.getParent().getParent()
                            + " trained on: then " + then.describe() + ", now " + now.describe()
                            + "; resume with the same data, or add --force to continue on these");
        }
    }

    /** The checkpoint's model on {@code backend}, with its optimizer state and history, and the epoch to continue from. */
    public Checkpoints.Resumed restore(Backend backend) {
        return Checkpoints.restore(loaded, doc, backend);
    }
}
