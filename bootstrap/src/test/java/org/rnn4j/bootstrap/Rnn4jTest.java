package org.rnn4j.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** On this module's own classpath no engine is present: the errors a library user sees then. */
class Rnn4jTest {

    @Test
    void noEngineOnTheClasspath() {
        assertTrue(Rnn4j.available().isEmpty());
    }

    @Test
    void aKnownEngineWhoseJarIsMissingNamesTheArtifact() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rnn4j.backend("dl4j"));
        assertEquals(
                "backend 'dl4j' (given to Rnn4j.backend) is not on the classpath;"
                        + " add org.rnn4j:rnn4j-backend-dl4j to the dependencies",
                e.getMessage());
    }

    @Test
    void anUnknownIdWithNoEngineAtAllSaysWhatToAdd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rnn4j.backend("torch"));
        assertEquals(
                "unknown backend 'torch' (given to Rnn4j.backend) and no backend on the classpath;"
                        + " add org.rnn4j:rnn4j-backend-tf or org.rnn4j:rnn4j-backend-dl4j to the dependencies",
                e.getMessage());
    }

    @Test
    void libraryErrorsNeverMentionTheCommandLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rnn4j.backend("x"));
        assertTrue(!e.getMessage().contains("--"), e.getMessage());
    }
}
