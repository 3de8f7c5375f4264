package org.rnn4j.cli;

import java.io.PrintWriter;
import java.util.List;
import org.rnn4j.zoo.evaluation.Score;

/** Prints a score: the report on stdout, a warning about the evidence as one line on stderr. */
final class Reports {
    private Reports() {}

    static void print(PrintWriter out, PrintWriter err, Score score) {
        print(out, score.report());
        warn(err, score);
    }

    static void print(PrintWriter out, List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }

    static void warn(PrintWriter err, Score score) {
        score.warning().ifPresent(w -> {
            err.println("rnn4j: warning: " + w);
            err.flush();
        });
    }
}
