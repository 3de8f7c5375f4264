package org.rnn4j.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnOffTest {
    @ParameterizedTest
    @ValueSource(strings = {"true", "on", "1", " TRUE ", "On"})
    void onSpellings(String v) {
        assertTrue(OnOff.parse("setting x", v, false, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "off", "0", " False ", "OFF"})
    void offSpellings(String v) {
        assertFalse(OnOff.parse("setting x", v, true, null));
    }

    @Test
    void missingOrBlankIsTheDefault() {
        assertTrue(OnOff.parse("setting x", null, true, null));
        assertFalse(OnOff.parse("setting x", null, false, null));
        assertTrue(OnOff.parse("setting x", "  ", true, null));
        assertFalse(OnOff.parse("setting x", "", false, null));
    }

    @Test
    void anythingElseIsRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> OnOff.parse("system property a.b", "yes", true, null));
        assertEquals("system property a.b must be true or false, got 'yes'", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> OnOff.parse("system property a.b", "2", true, "remove it for the default"));
        assertEquals("system property a.b must be true or false, got '2'; remove it for the default", e.getMessage());
    }
}
