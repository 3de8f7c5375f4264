package org.rnn4j.cli;

import java.util.List;
import java.util.Set;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.bootstrap.Rnn4j;
import picocli.CommandLine.Option;

/** The {@code --backend} option of every command that runs an engine. */
final class BackendOption {

    /** Completion candidates; the bootstrap lists what is really on the classpath when an id is wrong. */
    static final class Ids implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("tf", "dl4j").iterator();
        }
    }

    @Option(
            names = "--backend",
            paramLabel = "ID",
            completionCandidates = Ids.class,
            description = "Engine: tf or dl4j (default: $RNN4J_BACKEND, else -Drnn4j.backend, else tf).")
    String id;

    /** Opens the chosen engine (loads its natives); the caller closes it. */
    Backend open() {
        return Rnn4j.backend(checkedId());
    }

    /** The chosen id, checked against the engines on the classpath, in the command line's words. */
    String checkedId() {
        String chosen = Rnn4j.resolveId(id);
        Set<String> available = Rnn4j.available();
        if (!available.contains(chosen)) {
            throw new IllegalArgumentException("unknown backend '" + chosen + "'; available: " + available
                    + "; choose with --backend, " + Rnn4j.ENV + " or -D" + Rnn4j.PROPERTY);
        }
        return chosen;
    }
}
