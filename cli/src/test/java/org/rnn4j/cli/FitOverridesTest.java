package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.compile.FitOptions;

/** A command's overrides keep the settings they do not override, class_weight included. */
class FitOverridesTest {
    @Test
    void classWeightSurvivesTheOverrides() {
        FitOverrides o = new FitOverrides();
        o.epochs = 3;
        FitOptions base = new FitOptions(10, 16, 0.1, true, 7, Map.of(1, 4.0), null);
        FitOptions applied = o.apply(base, 10);
        assertEquals(Map.of(1, 4.0), applied.classWeight());
        assertEquals(3, applied.epochs());
        assertEquals(7, applied.seed());
    }
}
