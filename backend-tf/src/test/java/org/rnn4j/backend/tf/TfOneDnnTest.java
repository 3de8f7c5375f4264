package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What a TF backend records about oneDNN in this JVM, and that the tuning cache's key carries it.
 * The build sets {@code TF_ENABLE_ONEDNN_OPTS=1} for its test JVMs, so here the user's environment
 * decides; {@code OneDnnIT} checks the other cases in fresh JVMs.
 */
class TfOneDnnTest {
    @Test
    void theStateIsTheUsersVariableAndJoinsTheTuningKey() {
        try (TfBackend backend = new TfBackend(TfSessionOptions.defaults(), TfForms.rule())) {
            String user = System.getenv(TfOneDnn.VARIABLE);
            String state = TfOneDnn.state();
            if (user != null) {
                assertEquals("environment:" + (user.isBlank() ? "(empty)" : user.trim()), state);
            } else {
                // run outside the build: on, unless another test loaded TensorFlow first
                assertTrue(state.equals("on") || state.startsWith("tensorflow-default (loaded before"), state);
            }
            assertTrue(
                    backend.tuningContext().contains("onednn=" + state),
                    backend.tuningContext().toString());
        }
    }

    @Test
    void thePropertyIsReadAsAnOnOffSetting() {
        String before = System.getProperty(TfOneDnn.PROPERTY);
        try {
            System.clearProperty(TfOneDnn.PROPERTY);
            assertTrue(TfOneDnn.requested());
            System.setProperty(TfOneDnn.PROPERTY, "false");
            assertFalse(TfOneDnn.requested());
            System.setProperty(TfOneDnn.PROPERTY, " ON ");
            assertTrue(TfOneDnn.requested());
            System.setProperty(TfOneDnn.PROPERTY, "sometimes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, TfOneDnn::requested);
            assertEquals(
                    "system property rnn4j.tf.onednn must be true or false, got 'sometimes'; "
                            + "remove it to use oneDNN's kernels",
                    e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(TfOneDnn.PROPERTY);
            } else {
                System.setProperty(TfOneDnn.PROPERTY, before);
            }
        }
    }
}
