package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.BackendModule;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;

class Dl4jBackendTest {

    @Test
    void describesItselfWithTheNd4jVersion() {
        try (Dl4jBackend b = new Dl4jBackend()) {
            assertEquals("dl4j", b.id());
            assertEquals(
                    "DeepLearning4J/ND4J 1.0.0-M2.1 on CPU (nd4j-native, OpenBLAS; eager ND4J ops)", b.description());
            assertEquals(Set.of(Capability.DETERMINISTIC, Capability.SAMPLE_WEIGHTS), b.capabilities());
        }
    }

    /** Long chunks only where every recurrence runs as one fused node; anything unrolled keeps the short ones. */
    @Test
    void chunksLongOnlyWhenEveryRecurrenceIsFused() {
        java.util.function.Function<org.rnn4j.api.layers.LayerSpec, Integer> chunk = l -> Dl4jBackend.chunkSteps(
                Sequential.builder().input(-1, 2).add(l).add(Layers.dense(1)).build());
        assertEquals(Dl4jBackend.LONG_CHUNK, chunk.apply(Layers.gru(4)));
        assertEquals(Dl4jBackend.LONG_CHUNK, chunk.apply(Layers.simpleRnn(4).dropout(0.2)));
        assertEquals(Dl4jBackend.LONG_CHUNK, chunk.apply(Layers.lstm(4)));
        int shortChunk = org.rnn4j.api.backend.RecurrencePolicy.CHUNK_STEPS;
        assertEquals(shortChunk, chunk.apply(Layers.gru(4).recurrentDropout(0.2)));
        assertEquals(shortChunk, chunk.apply(Layers.gru(4).goBackwards(true)));
        assertEquals(shortChunk, chunk.apply(Layers.bidirectional(Layers.simpleRnn(4))));
        assertEquals(shortChunk, chunk.apply(Layers.simpleRnn(4).activation(org.rnn4j.api.layers.Activation.RELU)));
        assertTrue(Dl4jBackend.LONG_CHUNK > shortChunk);
    }

    @Test
    void announcesItsGuiceModuleThroughServiceLoader() {
        Module found = ServiceLoader.load(Module.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(m -> m instanceof BackendModule bm && bm.backendId().equals("dl4j"))
                .findFirst()
                .orElseThrow();
        Injector injector = Guice.createInjector(found);
        Map<String, Backend> backends = injector.getInstance(Key.get(new TypeLiteral<Map<String, Backend>>() {}));
        assertInstanceOf(Dl4jBackend.class, backends.get("dl4j"));
        Backend again = injector.getInstance(Key.get(new TypeLiteral<Map<String, Backend>>() {}))
                .get("dl4j");
        // Each caller closes its own backend, so a lookup must never hand out one that another closed.
        assertNotSame(backends.get("dl4j"), again);
        backends.get("dl4j").close();
        again.close();
    }

    @Test
    void closingTheBackendClosesItsProgramsAndRefusesNewOnes() {
        ModelSpec spec =
                Sequential.builder().input(2, 1).add(Layers.simpleRnn(1)).build();
        Dl4jBackend b = new Dl4jBackend();
        Program p = b.compile(spec);
        p.predict(Tensor.zeros(1, 2, 1), Dl4jProgramTest.randomWeights(spec, 1));
        b.close();
        assertThrows(
                IllegalStateException.class,
                () -> p.predict(Tensor.zeros(1, 2, 1), Dl4jProgramTest.randomWeights(spec, 1)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.compile(spec));
        assertTrue(e.getMessage().contains("closed"));
    }
}
