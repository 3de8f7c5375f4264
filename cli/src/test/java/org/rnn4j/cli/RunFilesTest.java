package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.checkpoint.Checkpoints;
import org.rnn4j.api.train.History;

class RunFilesTest {
    private static History history() {
        History h = new History();
        h.record(logs(1.5, 0.9, 1.2, 0.8), 2.0, 0.25);
        h.record(logs(1.0, 0.7, 1.1, 0.75), 1.5, 0.125);
        return h;
    }

    private static Map<String, Double> logs(double loss, double mae, double valLoss, double valMae) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("mae", mae);
        m.put("val_loss", valLoss);
        m.put("val_mae", valMae);
        return m;
    }

    @Test
    void historyCsvHasOneRowPerEpoch() {
        assertEquals("""
                epoch,loss,mae,val_loss,val_mae,seconds,data_wait_seconds
                1,1.5,0.9,1.2,0.8,2.000,0.250
                2,1.0,0.7,1.1,0.75,1.500,0.125
                """, HistoryFiles.csv(history()));
    }

    @Test
    void historyJsonHasTrainAndValidationSeries() {
        var json = HistoryFiles.json(history());
        assertEquals("[1,2]", json.get("epoch").toString());
        assertEquals("[1.2,1.1]", json.get("val_loss").toString());
        assertEquals("[0.9,0.7]", json.get("mae").toString());
        assertEquals("[0.25,0.125]", json.get("data_wait_seconds").toString());
        assertEquals(List.of(0.25, 0.125), Checkpoints.history(json).dataWaitSeconds(), "read back");
    }

    @Test
    void plotsArePngs() throws Exception {
        System.setProperty("java.awt.headless", "true");
        byte[] png = Charts.loss(history(), "mse");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        byte[] f = Charts.forecast(
                "t",
                new org.rnn4j.zoo.evaluation.ForecastPlot(
                        List.of(java.time.LocalDate.of(2020, 1, 1), java.time.LocalDate.of(2020, 1, 2)),
                        new double[] {1, 2},
                        new double[] {1.1, 1.9},
                        new double[] {0.9, 1},
                        1));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(f, 4));
        // Three panels (values, residuals, the last steps) stacked: taller than one chart.
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(f));
        assertTrue(img.getHeight() > 1000, "height " + img.getHeight());
    }
}
