package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.zoo.Zoo;

class ZooCommandTest {

    @Test
    void listShowsEveryModelWithItsParameterCount() {
        String out = CliRun.of("zoo", "list").ok().out();
        for (String name : Zoo.names()) {
            assertTrue(out.contains(name), name);
        }
        assertTrue(out.lines().anyMatch(l -> l.startsWith("stock-simple-rnn") && l.contains(" 131 ")), out);
    }

    @Test
    void showPrintsAReadableSpec() {
        String out = CliRun.of("zoo", "show", "stock-gru").ok().out();
        assertEquals(Zoo.get("stock-gru").spec(), SpecJson.read(out));
    }

    @Test
    void showUnknownNameListsTheKnownOnes() {
        CliRun.of("zoo", "show", "stock-transformer")
                .badInput("unknown zoo model 'stock-transformer'; known: [stock-simple-rnn");
    }

    @Test
    void showWithoutNameIsAUsageError() {
        CliRun.of("zoo", "show").badInput("Missing required parameter");
    }
}
