package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineLabelsTest {
    @Test
    void eachEnginesLinesCarryItsLabel() {
        StringWriter sink = new StringWriter();
        EngineLabels labels = new EngineLabels(List.of("tf", "dl4j"), new PrintWriter(sink));
        PrintWriter progress = labels.out();
        labels.onTrainBegin(null);
        progress.print("Epoch 1/2 - loss: 1.0\nEpoch 2/2 - ");
        progress.print("loss: 0.5\n");
        labels.onTrainBegin(null);
        progress.print("Epoch 1/2 - loss: 0.9\n\n");
        progress.flush();
        assertEquals(
                "[tf] Epoch 1/2 - loss: 1.0\n[tf] Epoch 2/2 - loss: 0.5\n[dl4j] Epoch 1/2 - loss: 0.9\n\n",
                sink.toString());
        assertThrows(IllegalStateException.class, () -> labels.onTrainBegin(null));
    }
}
