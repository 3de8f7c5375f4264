package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.graph.StepForm;

/** The names autotuning's choices are kept under in the tuning cache, written and read back. */
class FormChoiceTest {
    @Test
    void everyChoiceIsReadBackAsWritten() {
        assertEquals("fused-5", FormChoice.fused(5).jsonName());
        assertEquals("fused", FormChoice.of(StepForm.FUSED).jsonName());
        assertEquals("fused", FormChoice.fused(1).jsonName());
        assertEquals("plain-t", FormChoice.transposed(StepForm.PLAIN).jsonName());
        assertEquals("hoisted", FormChoice.of(StepForm.HOISTED).jsonName());
        assertEquals("gate_major", FormChoice.of(StepForm.GATE_MAJOR).jsonName());
        for (FormChoice c : new FormChoice[] {
            FormChoice.of(StepForm.PLAIN),
            FormChoice.transposed(StepForm.PLAIN),
            FormChoice.of(StepForm.HOISTED),
            FormChoice.transposed(StepForm.HOISTED),
            FormChoice.of(StepForm.GATE_MAJOR),
            FormChoice.of(StepForm.FUSED),
            FormChoice.fused(2),
            FormChoice.fused(TfOps.MAX_PIPELINE_CHUNKS)
        }) {
            assertEquals(Optional.of(c), FormChoice.parse(c.jsonName()), c.jsonName());
        }
        assertEquals(Optional.of(FormChoice.of(StepForm.PLAIN)), FormChoice.parse(" Plain "));
    }

    /** An entry this version cannot run (another version's, or edited by hand) is not a choice: it is measured again. */
    @Test
    void anythingElseIsNoChoice() {
        for (String bad : new String[] {
            "plain-2",
            "fused-t",
            "fused-0",
            "fused-9",
            "fused-x",
            "fused-",
            "fused-2-3",
            "hoisted-tt",
            "gate_major-t",
            "gate_major-2",
            "",
            "block",
            null
        }) {
            assertEquals(Optional.empty(), FormChoice.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new FormChoice(StepForm.HOISTED, 2, false));
        assertThrows(IllegalArgumentException.class, () -> new FormChoice(StepForm.FUSED, 2, true));
        assertThrows(IllegalArgumentException.class, () -> FormChoice.transposed(StepForm.GATE_MAJOR));
        assertThrows(IllegalArgumentException.class, () -> FormChoice.fused(0));
    }

    /** A choice can be pinned by the name the cache and the log give it; a wrong name is one clear message. */
    @Test
    void theFormPropertyTakesTheSameNames() {
        String old = System.getProperty(TfForms.FORM_PROPERTY);
        try {
            System.setProperty(TfForms.FORM_PROPERTY, "fused-5");
            assertEquals(TfForms.forced(FormChoice.fused(5)), TfForms.fromSystemProperties(false));
            System.setProperty(TfForms.FORM_PROPERTY, "hoisted-t");
            assertEquals(
                    FormChoice.transposed(StepForm.HOISTED),
                    TfForms.fromSystemProperties(false).forced());
            System.setProperty(TfForms.FORM_PROPERTY, "blocked");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> TfForms.fromSystemProperties(false));
            assertTrue(
                    e.getMessage().contains(TfForms.FORM_PROPERTY)
                            && e.getMessage().contains("'blocked'"),
                    e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(TfForms.FORM_PROPERTY);
            } else {
                System.setProperty(TfForms.FORM_PROPERTY, old);
            }
        }
    }
}
