package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.bootstrap.Rnn4j;

class BackendSelectionTest {

    @Test
    void bothBackendsAnnounceThemselves() {
        assertEquals(Set.of("dl4j", "tf"), Rnn4j.available());
    }

    @Test
    void unknownBackendListsTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rnn4j.backend("torch"));
        assertEquals("unknown backend 'torch' (given to Rnn4j.backend); available: [dl4j, tf]", e.getMessage());
    }

    @Test
    void explicitChoiceWinsOverTheProperty() {
        String old = System.getProperty(Rnn4j.PROPERTY);
        try {
            System.setProperty(Rnn4j.PROPERTY, "dl4j");
            assertEquals(
                    System.getenv(Rnn4j.ENV) == null
                            ? "dl4j"
                            : System.getenv(Rnn4j.ENV).trim(),
                    Rnn4j.resolveId(null));
            assertEquals("tf", Rnn4j.resolveId("tf"));
        } finally {
            if (old == null) {
                System.clearProperty(Rnn4j.PROPERTY);
            } else {
                System.setProperty(Rnn4j.PROPERTY, old);
            }
        }
    }

    @Test
    void theChosenBackendHasItsId() {
        try (Backend b = Rnn4j.backend("tf")) {
            assertEquals("tf", b.id());
        }
    }
}
