package org.rnn4j.api.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;

/**
 * A process that saves a model twice into one folder, as two checkpoints of a run, and is killed
 * ({@link Runtime#halt}: no finally blocks, no shutdown hooks, like SIGKILL) right after one step
 * of the second save: {@code java -cp <api test classpath> org.rnn4j.api.io.SaveKiller DIR STEP}.
 * The folder is then exactly as a kill at that step leaves it.
 */
public final class SaveKiller {
    static final ModelSpec SPEC = Sequential.name("m")
            .input(4, 2)
            .add(Layers.gru(3))
            .add(Layers.dense(1))
            .build();

    private SaveKiller() {}

    static Map<String, Tensor> weights(int epoch) {
        return WeightInitializer.initialized(SPEC.weights(), 100 + epoch).snapshot();
    }

    static ObjectNode extras(int epoch) {
        ObjectNode o = SpecJson.mapper().createObjectNode();
        o.putObject("checkpoint")
                .put("epoch", epoch)
                .put("iterations", 10 * (epoch + 1))
                .putObject("slots");
        return o;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        ModelFiles.SaveStep step = ModelFiles.SaveStep.valueOf(args[1]);
        ModelFiles.save(dir, SPEC, weights(0), extras(0));
        ModelFiles.afterStep = s -> {
            if (s == step) {
                Runtime.getRuntime().halt(137);
            }
        };
        ModelFiles.save(dir, SPEC, weights(1), extras(1));
        System.exit(3); // not killed: the step was never reached
    }
}
