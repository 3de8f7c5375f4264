package org.rnn4j.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.api.tensor.Tensor;

/**
 * A save killed after each of its steps (a real process, ended with {@code Runtime.halt}, see
 * {@link SaveKiller}) leaves a folder that {@link RunFolder#open} repairs to the last complete
 * save, with nothing left beside it, after which a new save succeeds.
 */
class InterruptedSaveTest {
    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void killDuringSecondSave(Path dir, ModelFiles.SaveStep step) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        SaveKiller.class.getName(),
                        dir.toString(),
                        step.name())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed at " + step + "; output: " + out);
    }

    @ParameterizedTest
    @EnumSource(ModelFiles.SaveStep.class)
    void aSaveKilledAfterAnyStepIsRepairedToTheLastCompleteSave(ModelFiles.SaveStep step) throws Exception {
        Path run = tmp.resolve("run");
        Path checkpoint = run.resolve(ModelFiles.CHECKPOINT);
        Files.createDirectories(run);
        killDuringSecondSave(checkpoint, step);

        boolean secondCompleted = step.compareTo(ModelFiles.SaveStep.MOVED_IN) >= 0;
        try (RunFolder folder = RunFolder.open(run, "--out")) {
            assertEquals(List.of(ModelFiles.CHECKPOINT), names(run), "after repair, only the checkpoint is left");
            LoadedModel loaded = ModelFiles.load(checkpoint);
            int epoch = loaded.extras().get("checkpoint").get("epoch").asInt();
            assertEquals(secondCompleted ? 1 : 0, epoch, "the last complete save after a kill at " + step);
            Map<String, Tensor> expected = SaveKiller.weights(epoch);
            assertEquals(expected, loaded.weights());
            folder.commit(SaveKiller.SPEC, SaveKiller.weights(7), null, Map.of("history.json", "{}".getBytes()));
        }
        assertEquals(List.of("history.json", "model.json", "rnn4j.json", "weights.bin"), names(run));
        assertEquals(List.of("run"), names(tmp), "no temporary folder, backup or lock file is left");
    }
}
