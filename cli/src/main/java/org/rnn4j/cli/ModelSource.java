package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.h5.KerasH5;

/**
 * Reads a model given on the command line: an rnn4j model directory, a TensorFlow.js or Keras
 * {@code model.json}, an rnn4j spec, a Keras {@code .h5} / {@code .keras} file; optionally with
 * Keras HDF5 weights from {@code --weights}.
 */
final class ModelSource {
    private ModelSource() {}

    static LoadedModel load(Path model, Path weights) throws IOException {
        LoadedModel loaded = KerasH5.handles(model) ? KerasH5.load(model) : ModelFiles.load(model);
        if (weights == null) {
            return loaded;
        }
        if (!KerasH5.handles(weights)) {
            throw new IllegalArgumentException(
                    "--weights " + weights + " must be a Keras HDF5 file (.weights.h5, .h5 or .keras);"
                            + " TensorFlow.js weights come with their model.json");
        }
        return new LoadedModel(
                loaded.spec(), KerasH5.readWeights(weights, loaded.spec()), loaded.extras(), loaded.source());
    }

    static LoadedModel load(Path model) throws IOException {
        return load(model, null);
    }

    /**
     * The architecture only, for commands that need no weights (summary, train --spec); an rnn4j
     * spec's {@code data} block is read (and checked) but not part of the architecture.
     */
    static ModelSpec spec(Path model) throws IOException {
        if (KerasH5.handles(model)) {
            return KerasH5.load(model).spec();
        }
        org.rnn4j.zoo.plan.SpecFile withData = org.rnn4j.zoo.plan.SpecFile.readIfRnn4j(model);
        return withData != null ? withData.spec() : ModelFiles.loadSpec(model).spec();
    }
}
