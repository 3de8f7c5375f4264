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
import org.rnn4j.zoo.plan.DataSource;
import org.rnn4j.zoo.plan.ReadOptions;
import org.rnn4j.zoo.recipe.Preprocessing;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.TokenPreprocessing;

/** A trained model read from disk with the preprocessing saved beside it (no engine yet). */
record SavedModel(Path path, LoadedModel loaded, Preprocessing preprocessing) {

    static final String ZOO_FIELD = "zoo";
    static final String DATA_FIELD = "data";

    /** Loads {@code path}; requires trained weights and a saved preprocessing. */
    static SavedModel load(Path path, String command) throws IOException {
        LoadedModel loaded = ModelFiles.load(path);
        if (!loaded.hasWeights()) {
            throw new IllegalArgumentException(path + " holds no trained weights; " + command
                    + " needs a model directory written by 'rnn4j train --out DIR'");
        }
        Preprocessing p = Preprocessing.fromExtras(loaded.extras());
        if (p == null) {
            throw new IllegalArgumentException(path + " has no saved preprocessing (rnn4j.json 'preprocessing'); "
                    + command + " needs a model trained by 'rnn4j train', or saved by a program with"
                    + " model.save(dir, preparedData.preprocessing().asExtras())");
        }
        return new SavedModel(path, loaded, p);
    }

    /** The series preprocessing; an error naming the model when it is a text model. */
    StockPreprocessing series(String command) {
        try {
            return preprocessing.asSeries(command);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " is " + e.getMessage(), e);
        }
    }

    /** The text preprocessing; an error naming the model when it is a series model. */
    TokenPreprocessing text(String command) {
        try {
            return preprocessing.asText(command);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " is " + e.getMessage(), e);
        }
    }

    /** {@code given}, else the shipped dataset the model was trained on; an error when there is none. */
    String dataSource(String given, String command) {
        if (given != null) {
            return given;
        }
        JsonNode extras = loaded.extras();
        String d = extras == null || !extras.path(DATA_FIELD).isTextual()
                ? null
                : extras.get(DATA_FIELD).asText();
        if (d == null || !DataSource.isShipped(d)) {
            throw new IllegalArgumentException("--data is required: " + path
                    + " was not trained on a shipped dataset, so " + command + " cannot pick its data");
        }
        return d;
    }

    /** How the training data was read (symbol, delimiter, date format), or the defaults. */
    ReadOptions readOptions() {
        JsonNode extras = loaded.extras();
        return ReadOptions.fromJson(extras == null ? null : extras.get(ReadOptions.FIELD));
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
