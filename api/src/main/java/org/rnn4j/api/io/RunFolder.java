package org.rnn4j.api.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;

/**
 * A training run's output folder, held for the whole run. {@link #open} checks the location
 * ({@link OutputPaths}) before any data is read or an engine starts, takes the folder's
 * {@link RunLock}, repairs what a run killed in the middle of a save left behind (see
 * {@link ModelFiles#recover}: the folder itself, then its checkpoint), and refuses a folder that
 * holds anything but an earlier run. During the run, checkpoints go to {@link #checkpoint()};
 * {@link #commit} then writes the model and every other output in one atomic swap that also drops
 * the checkpoint, so a failure at the end (a full disk) keeps the last good checkpoint.
 */
public final class RunFolder implements AutoCloseable {
    private final Path dir;
    private final String option;
    private final RunLock lock;

    private RunFolder(Path dir, String option, RunLock lock) {
        this.dir = dir;
        this.option = option;
        this.lock = lock;
    }

    /**
     * Checks, locks and repairs {@code dir}.
     *
     * @param option names the folder in messages, e.g. "--out"
     */
    public static RunFolder open(Path dir, String option) throws IOException {
        OutputPaths.checkDirectory(dir, option);
        RunLock lock = RunLock.acquire(dir, option);
        try {
            ModelFiles.recover(dir);
            if (Files.isDirectory(dir)) {
                ModelFiles.recover(dir.resolve(ModelFiles.CHECKPOINT));
                if (!Files.exists(dir.resolve(ModelFiles.MODEL_JSON)) && ModelFiles.hasForeignEntries(dir)) {
                    throw new IllegalArgumentException(option + " " + dir
                            + " exists and is not an rnn4j run directory; choose a new or empty folder");
                }
            }
            return new RunFolder(dir, option, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    /** The option that named the folder, for messages. */
    public String option() {
        return option;
    }

    /** Where checkpoints go: {@code <dir>/checkpoint}. */
    public Path checkpoint() {
        return dir.resolve(ModelFiles.CHECKPOINT);
    }

    public boolean hasCheckpoint() {
        return Files.exists(checkpoint().resolve(ModelFiles.MODEL_JSON));
    }

    /**
     * Writes the trained model and the run's other files ({@code files}: name to content) in one
     * atomic swap, replacing the folder and so its checkpoint. On failure the folder, with its last
     * checkpoint, is as it was, and the message names the file that could not be written.
     */
    public void commit(ModelSpec spec, Map<String, Tensor> weights, ObjectNode extras, Map<String, byte[]> files)
            throws IOException {
        try {
            ModelFiles.save(dir, spec, weights, extras, files);
        } catch (IOException e) {
            if (hasCheckpoint()) {
                throw new IOException(
                        e.getMessage() + "; the last checkpoint in " + checkpoint()
                                + " is kept, so the run can resume from it",
                        e);
            }
            throw e;
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        lock.close();
    }
}
