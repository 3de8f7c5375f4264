package org.rnn4j.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.weights.WeightStore;

/** The Keras progress output, checked character by character on a model of a terminal screen. */
class ProgressBarTest {
    private static final long MS = 1_000_000L;

    /** A clock the test moves by hand. */
    private static final class Clock {
        long now;
    }

    private static TrainingContext context(int epochs) {
        return context(epochs, new History());
    }

    private static TrainingContext context(int epochs, History history) {
        return new TrainingContext() {
            @Override
            public ModelSpec spec() {
                throw new UnsupportedOperationException();
            }

            @Override
            public WeightStore weights() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optimizer optimizer() {
                throw new UnsupportedOperationException();
            }

            @Override
            public History history() {
                return history;
            }

            @Override
            public int epochs() {
                return epochs;
            }

            @Override
            public void stopTraining() {}
        };
    }

    private static Map<String, Double> logs(double... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        String[] names = {"loss", "mae", "val_loss", "val_mae"};
        for (int i = 0; i < kv.length; i++) {
            m.put(names[i], kv[i]);
        }
        return m;
    }

    /**
     * One epoch of {@code losses.length} batches, {@code stepMs} apart, ending with {@code logs}.
     * Returns everything written.
     */
    private static String epoch(
            int verbose, boolean terminal, int columns, long stepMs, double[] losses, Map<String, Double> logs) {
        StringWriter s = new StringWriter();
        Clock clock = new Clock();
        ProgressBar p = new ProgressBar(verbose, new PrintWriter(s, true), terminal, columns, () -> clock.now);
        TrainingContext ctx = context(1);
        p.onTrainBegin(ctx);
        p.onEpochBegin(ctx, 0);
        for (int b = 0; b < losses.length; b++) {
            clock.now += stepMs * MS;
            p.onBatchEnd(ctx, 0, b, losses.length, losses[b]);
        }
        p.onEpochEnd(ctx, 0, logs);
        return s.toString();
    }

    /**
     * What a terminal {@code width} columns wide shows after {@code output}: '\r' returns to the
     * start of the cursor's row, '\n' starts a new row, and a character written past the last
     * column wraps onto the next row first. Trailing blanks are dropped.
     */
    static List<String> screen(String output, int width) {
        List<StringBuilder> rows = new ArrayList<>(List.of(new StringBuilder()));
        int row = 0;
        int col = 0;
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                row++;
                col = 0;
            } else {
                if (col == width) {
                    row++;
                    col = 0;
                }
                while (rows.size() <= row) {
                    rows.add(new StringBuilder());
                }
                StringBuilder r = rows.get(row);
                while (r.length() <= col) {
                    r.append(' ');
                }
                r.setCharAt(col, c);
                col++;
            }
            while (rows.size() <= row) {
                rows.add(new StringBuilder());
            }
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder r : rows) {
            out.add(r.toString().stripTrailing());
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** The epoch's line names the wait for data only when it took a noticeable share of the epoch. */
    @Test
    void aLongWaitForDataIsNamedOnTheEpochLine() {
        for (double wait : new double[] {3.0, 0.3}) {
            StringWriter s = new StringWriter();
            Clock clock = new Clock();
            ProgressBar p = new ProgressBar(2, new PrintWriter(s, true), false, 0, () -> clock.now);
            History h = new History();
            TrainingContext ctx = context(1, h);
            p.onTrainBegin(ctx);
            p.onEpochBegin(ctx, 0);
            for (int b = 0; b < 5; b++) {
                clock.now += 1000 * MS;
                p.onBatchEnd(ctx, 0, b, 5, 1);
            }
            Map<String, Double> logs = logs(1);
            h.record(logs, 5, wait); // the trainer records the epoch before onEpochEnd
            p.onEpochEnd(ctx, 0, logs);
            String expected =
                    "Epoch 1/1\n5/5 - 5s - 1s/step - loss: 1.0000" + (wait > 1 ? " - waited 3s for data" : "") + "\n";
            assertEquals(expected, s.toString().replace(System.lineSeparator(), "\n"), "waited " + wait + "s");
        }
    }

    @Test
    void verboseTwoPrintsKerasLinesPerEpoch() {
        String out = epoch(2, false, 0, 400, new double[] {3, 1, 2}, logs(1.5, 0.9, 1.2, 0.8));
        assertEquals(
                "Epoch 1/1\n3/3 - 1s - 400ms/step - loss: 1.5000 - mae: 0.9000 - val_loss: 1.2000 - val_mae: 0.8000\n",
                out.replace(System.lineSeparator(), "\n"));
    }

    @Test
    void verboseOneOnAPipePrintsTheFinishedBarOnceAndNoCarriageReturn() {
        String out = epoch(1, false, 0, 400, new double[] {3, 1, 2}, logs(1.5, 0.9));
        assertEquals(
                "Epoch 1/1\n3/3 [==============================] - 1s 400ms/step - loss: 1.5000 - mae: 0.9000\n",
                out.replace(System.lineSeparator(), "\n"));
        assertFalse(out.contains("\r"));
    }

    @Test
    void verboseZeroPrintsNothing() {
        assertEquals("", epoch(0, true, 80, 400, new double[] {3, 1, 2}, logs(1.5)));
    }

    @Test
    void theBarShowsTheRunningMeanOfTheEpochNotTheLastBatch() {
        // losses 3, 1, 2, 6: after two batches the mean is 2, after three 2, the last batch alone 1.
        String out = epoch(1, true, 200, 150, new double[] {3, 1, 2, 6}, logs(3.0));
        String[] redraws = out.split("\r", -1);
        assertEquals("1/4 [======>.......................] - ETA: 0s - loss: 3.0000", redraws[1]);
        assertEquals("2/4 [==============>...............] - ETA: 0s - loss: 2.0000", redraws[2]);
        assertEquals("3/4 [=====================>........] - ETA: 0s - loss: 2.0000", redraws[3]);
        assertTrue(redraws[4].startsWith("4/4 [==============================] - 1s 150ms/step - loss: 3.0000"));
    }

    @Test
    void aNarrowTerminalShowsNoFragments() {
        // 1,000 batches, 200 ms each: the redrawn line (counter, ETA, loss) needs 36 of 40 columns, no bar.
        double[] losses = new double[1000];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = 1.0 / (i + 1);
        }
        String out = epoch(1, true, 40, 200, losses, logs(0.25, 0.5, 0.125, 0.0625));
        String last = "1000/1000 - 200s 200ms/step - loss: 0.2500 - mae: 0.5000 - val_loss: 0.1250 - val_mae: 0.0625";
        // every redraw fits in one row, so the final line's '\r' covers all of it; the final line wraps
        assertEquals(
                List.of("Epoch 1/1", last.substring(0, 40), last.substring(40, 80), last.substring(80)),
                screen(out, 40));
        for (String redraw : out.split("\r", -1)) {
            if (!redraw.startsWith("1000/1000") && !redraw.startsWith("Epoch")) {
                assertTrue(redraw.length() <= 39, "a redraw wider than the terminal: '" + redraw + "'");
            }
        }
    }

    @Test
    void aShorterLineBlanksWhatALongerOneLeft() {
        // Huge running losses and a long ETA make the first redraws the longest lines of the epoch;
        // later redraws and the epoch's own line are shorter and must not leave their ends behind.
        double[] losses = new double[1000];
        java.util.Arrays.fill(losses, 123456);
        String out = epoch(1, true, 120, 1_000, losses, logs(1.0));
        assertTrue(out.contains("\r   1/1000 [..............................] - ETA: 16:39 - loss: 1.2346e+05"), out);
        assertEquals(
                List.of("Epoch 1/1", "1000/1000 [==============================] - 1000s 1s/step - loss: 1.0000"),
                screen(out, 120));
        // and while training: after each redraw the row shows that redraw alone
        for (int at = out.indexOf('\r'); at >= 0; at = out.indexOf('\r', at + 1)) {
            int next = out.indexOf('\r', at + 1);
            if (next < 0) {
                break;
            }
            List<String> now = screen(out.substring(0, next), 120);
            assertEquals(out.substring(at + 1, next).stripTrailing(), now.get(now.size() - 1));
        }
    }

    @Test
    void theBarShrinksBeforeItGoes() {
        String first =
                epoch(1, true, 60, 150, new double[] {1, 1, 1, 1}, logs(1.0)).split("\r", -1)[1];
        assertEquals("1/4 [======>.....................] - ETA: 0s - loss: 1.0000", first); // 59 of 60 columns
    }

    @Test
    void badSettingsAreRefusedWithTheRule() {
        PrintWriter w = new PrintWriter(new StringWriter());
        assertEquals(
                "progress bar verbose must be 0, 1 or 2 (as Keras), got 3",
                assertThrows(IllegalArgumentException.class, () -> new ProgressBar(3, w, false, 0))
                        .getMessage());
        assertEquals(
                "progress bar columns must be > 0, or 0 to detect the terminal's width, got -1",
                assertThrows(IllegalArgumentException.class, () -> new ProgressBar(1, w, true, -1))
                        .getMessage());
    }

    @Test
    void kerasTimeFormats() {
        assertEquals("7s", ProgressBar.eta(7.2));
        assertEquals("2:05", ProgressBar.eta(125));
        assertEquals("1:01:05", ProgressBar.eta(3665));
        assertEquals("2s/step", ProgressBar.perStep(2.2));
        assertEquals("5ms/step", ProgressBar.perStep(0.005));
        assertEquals("80us/step", ProgressBar.perStep(0.00008));
    }

    @Test
    void terminalWidthComesFromANumberOrNotAtAll() {
        assertEquals(120, TerminalWidth.parse(" 120 "));
        assertEquals(-1, TerminalWidth.parse("wide"));
        assertEquals(-1, TerminalWidth.parse("0"));
        assertEquals(-1, TerminalWidth.parse(null));
    }
}
