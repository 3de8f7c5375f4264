package org.rnn4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.api.io.ModelFiles;
import org.rnn4j.cli.Main;

/** Shared test material: the zoo's shipped trained models, and the real CLI run in-process. */
public final class Fixtures {
    private Fixtures() {}

    /** Copies a zoo model's shipped trained weights ({@code stock-simple-rnn}, {@code char-embedding-lstm}) to {@code dir}. */
    public static Path shippedModel(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : new String[] {ModelFiles.MODEL_JSON, ModelFiles.WEIGHTS_BIN, ModelFiles.RNN4J_JSON}) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/org/rnn4j/zoo/pretrained/" + name + "/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("the zoo jar lacks the shipped " + name + "/" + f);
                }
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    /** {@code ./rnn4j ARGS} in this JVM: exit code and output. */
    record Cli(int code, String out, String err) {
        static Cli run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Cli(code, out.toString(), err.toString());
        }

        Cli ok() {
            if (code != 0) {
                throw new AssertionError("rnn4j exited " + code + ": " + err + out);
            }
            return this;
        }
    }
}
