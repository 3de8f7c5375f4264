package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.api.io.ModelFiles;

/** Option checks shared by several commands. */
final class Checks {
    private Checks() {}

    /** Refuses an output that would overwrite something that is not an earlier run. */
    static void outDir(Path dir, String checkpoint) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " exists and is not a directory; choose a new folder");
        }
        if (!Files.exists(dir.resolve(ModelFiles.MODEL_JSON))) {
            try (var entries = Files.list(dir)) {
                if (entries.anyMatch(p -> !p.getFileName().toString().equals(checkpoint))) {
                    throw new IllegalArgumentException("--out " + dir + " exists and is not an rnn4j run directory;"
                            + " choose a new or empty folder");
                }
            }
        }
    }

    static void positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + value);
        }
    }
}
