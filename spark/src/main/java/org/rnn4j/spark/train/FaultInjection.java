package org.rnn4j.spark.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * A pause for fault tests, off unless the application sets {@code spark.rnn4j.test.pauseAt}
 * ({@code epoch:batch}, 0-based), {@code spark.rnn4j.test.pauseMillis} and
 * {@code spark.rnn4j.test.pauseMarker} (a file path). The first attempt of partition 0's task of
 * that step writes its JVM's process id to the marker file and sleeps, so a test can kill exactly
 * the executor that is running a step; Spark's rerun of the task does not pause.
 */
final class FaultInjection {
    static final String AT = "spark.rnn4j.test.pauseAt";
    static final String MILLIS = "spark.rnn4j.test.pauseMillis";
    static final String MARKER = "spark.rnn4j.test.pauseMarker";

    private FaultInjection() {}

    static void pauseIfAsked(int epoch, int batch) {
        SparkEnv env = SparkEnv.get();
        TaskContext task = TaskContext.get();
        if (env == null || task == null) {
            return;
        }
        String at = env.conf().get(AT, null);
        if (at == null || !at.equals(epoch + ":" + batch) || task.partitionId() != 0 || task.attemptNumber() != 0) {
            return;
        }
        try {
            Files.writeString(
                    Path.of(env.conf().get(MARKER)),
                    Long.toString(ProcessHandle.current().pid()),
                    StandardCharsets.UTF_8);
            Thread.sleep(Long.parseLong(env.conf().get(MILLIS, "30000")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
