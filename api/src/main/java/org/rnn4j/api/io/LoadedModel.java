package org.rnn4j.api.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;

/**
 * A model read from disk.
 *
 * @param weights the weights by Keras name, or empty for a spec without weights
 * @param extras  the {@code rnn4j.json} document saved beside an rnn4j model (training config,
 *                history, preprocessing), or {@code null} for a foreign file
 */
public record LoadedModel(ModelSpec spec, Map<String, Tensor> weights, JsonNode extras, Path source) {
    public boolean hasWeights() {
        return !weights.isEmpty();
    }
}
