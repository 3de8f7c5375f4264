package org.rnn4j.api.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.api.io.TensorJson;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.tensor.Tensor;

/**
 * The Keras-semantics reference cases made with TensorFlow.js 4.22 (see
 * {@code oracle/README.md} in the test resources), read from the classpath so every backend's
 * tests use the same copy.
 */
public final class OracleCases {
    private OracleCases() {}

    public static List<String> forwardCases() {
        return index("oracle/cases/index.txt");
    }

    public static List<String> trainCases() {
        return index("oracle/train_cases/index.txt");
    }

    private static List<String> index(String resource) {
        return Arrays.stream(text(resource).split("\n"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Whether a resource is there (optional files of a case, e.g. sample_weight.json). */
    public static boolean exists(String resource) {
        return OracleCases.class.getClassLoader().getResource(resource) != null;
    }

    public static String text(String resource) {
        try (InputStream in = OracleCases.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = OracleCases.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String resource) {
        return SpecJson.parse(text(resource), resource);
    }

    public static Tensor tensor(String resource) {
        return TensorJson.read(json(resource), resource);
    }

    /**
     * Copies a case's model.json and weights.bin to a temporary folder and loads them as a user would.
     * The load reads the weights into memory, so the folder is deleted before this returns: a test run
     * calls this thousands of times and must not leave its copies behind.
     */
    public static LoadedModel model(String folder) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("rnn4j-oracle");
            Files.write(dir.resolve("model.json"), bytes(folder + "/model.json"));
            Files.write(dir.resolve("weights.bin"), bytes(folder + "/weights.bin"));
            return ModelFiles.load(dir.resolve("model.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteFolder(dir);
        }
    }

    /** Deletes a folder written by {@link #model}; a file that will not go now goes at exit. */
    private static void deleteFolder(Path dir) {
        if (dir == null) {
            return;
        }
        List<Path> left = new java.util.ArrayList<>();
        for (Path p : List.of(dir.resolve("model.json"), dir.resolve("weights.bin"), dir)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                left.add(p); // not thrown from a finally: that would hide the load's own failure
            }
        }
        // deleteOnExit deletes in the reverse order of registration: the folder last.
        for (int i = left.size() - 1; i >= 0; i--) {
            left.get(i).toFile().deleteOnExit();
        }
    }

    /** Copies a whole case folder (model.json, weights.bin, input.json, ...) to {@code dir}. */
    public static void copyCase(String folder, List<String> files, Path dir) {
        try {
            Files.createDirectories(dir);
            for (String f : files) {
                Files.write(dir.resolve(f), bytes(folder + "/" + f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
