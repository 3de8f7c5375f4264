package org.rnn4j.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Iterator;
import java.util.List;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.TrainingContext;

/**
 * Labels each engine's progress lines in {@code compare} ({@code [tf] Epoch 1/3 ...}): the engines
 * train one after the other, in the order given, and this callback, placed before the progress bar,
 * switches the label when the next one begins.
 */
final class EngineLabels implements Callback {
    private final Iterator<String> ids;
    private final Prefixing writer;

    EngineLabels(List<String> ids, PrintWriter out) {
        this.ids = List.copyOf(ids).iterator();
        this.writer = new Prefixing(out);
    }

    /** Where the progress bar writes; every line it starts carries the current engine's label. */
    PrintWriter out() {
        return new PrintWriter(writer, true);
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        if (!ids.hasNext()) {
            throw new IllegalStateException("more training runs than engines to label");
        }
        writer.label = "[" + ids.next() + "] ";
    }

    private static final class Prefixing extends Writer {
        private final PrintWriter out;
        private String label = "";
        private boolean atLineStart = true;

        Prefixing(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (atLineStart && c != '\n' && c != '\r') {
                    out.write(label);
                    atLineStart = false;
                }
                out.write(c);
                if (c == '\n') {
                    atLineStart = true;
                }
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
