package org.rnn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.ZooModel;
import org.rnn4j.zoo.recipe.Preprocessing;

/** A trained model read from disk with the preprocessing saved beside it (no engine yet). */
record SavedModel(Path path, LoadedModel loaded, Preprocessing preprocessing) {

    static final String ZOO_FIELD = "zoo";
    static final String DATA_FIELD = "data";

    /** Loads {@code path} and requires trained weights and a preprocessing of {@code kind}. */
    static SavedModel load(Path path, String kind, String command) throws IOException {
        LoadedModel loaded = ModelFiles.load(path);
        if (!loaded.hasWeights()) {
            throw new IllegalArgumentException(path + " holds no trained weights; " + command
                    + " needs a model directory written by 'rnn4j train --out DIR'");
        }
        Preprocessing p = Preprocessing.fromExtras(loaded.extras());
        if (p == null) {
            throw new IllegalArgumentException(path + " has no saved preprocessing (rnn4j.json 'preprocessing'); "
                    + command + " needs a model trained with 'rnn4j train --zoo ...'");
        }
        if (kind != null && !p.kind().equals(kind)) {
            throw new IllegalArgumentException(path + " is a '" + p.kind() + "' model but " + command + " needs a '"
                    + kind + "' model" + hint(kind));
        }
        return new SavedModel(path, loaded, p);
    }

    private static String hint(String kind) {
        return switch (kind) {
            case "stock" -> " (train one with --zoo stock-simple-rnn, stock-lstm, ...)";
            case "char" -> " (train one with --zoo char-onehot-lstm or char-embedding-lstm)";
            default -> "";
        };
    }

    /** The shipped dataset the model was trained on, if it was one, else {@code null}. */
    String trainedOnShippedData() {
        JsonNode extras = loaded.extras();
        if (extras == null || !extras.path(DATA_FIELD).isTextual()) {
            return null;
        }
        String d = extras.get(DATA_FIELD).asText();
        return DataSources.isShipped(d) ? d : null;
    }

    /** Copies a zoo model's shipped weights out of the jar into a temporary model directory. */
    static Path shipped(String name, String command) throws IOException {
        ZooModel zoo = Zoo.get(name);
        if (!zoo.hasPretrained()) {
            throw new IllegalArgumentException(
                    "zoo model '" + name + "' has no shipped trained weights; train it first: rnn4j train --zoo " + name
                            + " --out runs/" + name + ", then rnn4j " + command + " --model runs/" + name);
        }
        Path dir = Files.createTempDirectory("rnn4j-" + name);
        dir.toFile().deleteOnExit();
        String base =
                zoo.pretrainedResource().substring(0, zoo.pretrainedResource().lastIndexOf('/') + 1);
        for (String file : new String[] {ModelFiles.MODEL_JSON, ModelFiles.WEIGHTS_BIN, ModelFiles.RNN4J_JSON}) {
            try (InputStream in = ZooModel.class.getResourceAsStream(base + file)) {
                if (in == null) {
                    throw new IOException(
                            "the shipped weights of " + name + " lack " + file + "; the rnn4j-zoo jar is incomplete");
                }
                Path target = dir.resolve(file);
                Files.copy(in, target);
                target.toFile().deleteOnExit();
            }
        }
        return dir;
    }

    Model open(Backend backend) {
        return Model.withWeights(loaded.spec(), backend, loaded.weights());
    }
}
