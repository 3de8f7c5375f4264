package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.tensor.Tensor;

/** {@code rnn4j fit --class-weight} trains exactly as the sample weights it stands for ({@code --sample-weight}). */
class FitWeightsIT {
    @TempDir
    Path tmp;

    private Map<String, Tensor> fit(String... extra) throws Exception {
        Path out = tmp.resolve("out-" + extra[0].substring(2) + "-" + extra.length);
        String[] base = {
            "fit",
            "--model",
            tmp.resolve("spec.json").toString(),
            "--x",
            tmp.resolve("x.json").toString(),
            "--y",
            tmp.resolve("y.json").toString(),
            "--loss",
            "sparse_categorical_crossentropy",
            "--optimizer",
            "{\"type\": \"sgd\", \"learning_rate\": 0.5}",
            "--epochs",
            "3",
            "--batch-size",
            "2",
            "--no-shuffle",
            "--out",
            out.toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Cli.run(args).ok();
        return ModelFiles.load(out).weights();
    }

    @Test
    void classWeightEqualsItsSampleWeights() throws Exception {
        Files.writeString(tmp.resolve("spec.json"), """
                {"format": "rnn4j.spec/1", "name": "classes", "input": {"shape": [2]},
                 "layers": [{"type": "Dense", "units": 3, "activation": "softmax"}]}""");
        Files.writeString(
                tmp.resolve("x.json"), TensorJson.write(Tensor.wrap(new float[] {1, 0, 0, 1, 1, 1, -1, 0.5f}, 4, 2)));
        Files.writeString(tmp.resolve("y.json"), TensorJson.write(Tensor.wrapInts(new int[] {0, 2, 1, 2}, 4)));
        Files.writeString(tmp.resolve("w.json"), TensorJson.write(Tensor.wrap(new float[] {3, 0.5f, 1, 0.5f}, 4)));
        Map<String, Tensor> byClass = fit("--class-weight", "{\"0\": 3, \"2\": 0.5}");
        Map<String, Tensor> bySample =
                fit("--sample-weight", tmp.resolve("w.json").toString());
        Map<String, Tensor> plain = fit("--seed", "42");
        for (String k : byClass.keySet()) {
            assertEquals(0, byClass.get(k).maxAbsDiff(bySample.get(k)), k);
        }
        assertTrue(byClass.get("dense/kernel").maxAbsDiff(plain.get("dense/kernel")) > 1e-3);
        Cli.run(
                        "fit",
                        "--model",
                        tmp.resolve("spec.json").toString(),
                        "--x",
                        tmp.resolve("x.json").toString(),
                        "--y",
                        tmp.resolve("y.json").toString(),
                        "--loss",
                        "sparse_categorical_crossentropy",
                        "--class-weight",
                        "{\"one\": 2}",
                        "--out",
                        tmp.resolve("bad").toString())
                .badInput("class_weight keys are class ids");
    }
}
