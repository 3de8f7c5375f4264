package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.BackendModule;
import org.rnn4j.api.backend.Capability;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;

class TfBackendTest {
    @Test
    void identifiesItselfWithTheTensorFlowVersion() {
        try (TfBackend backend = new TfBackend(TfSessionOptions.defaults())) {
            assertEquals("tf", backend.id());
            assertEquals(
                    "TensorFlow " + TensorFlow.version() + " (TensorFlow Java, CPU; 1 intra-op / 2 inter-op threads)",
                    backend.description());
            assertEquals(
                    Set.of(Capability.CONCURRENT_PREDICT, Capability.DETERMINISTIC, Capability.SAMPLE_WEIGHTS),
                    backend.capabilities());
        }
    }

    @Test
    void moreIntraOpThreadsDropTheDeterminismClaim() {
        try (TfBackend backend = new TfBackend(new TfSessionOptions(4, 2))) {
            assertEquals(Set.of(Capability.CONCURRENT_PREDICT, Capability.SAMPLE_WEIGHTS), backend.capabilities());
        }
    }

    @Test
    void guiceBindsANewBackendPerLookupUnderTf() {
        Injector injector = Guice.createInjector(new TfBackendModule());
        Map<String, Backend> backends = injector.getInstance(Key.get(new TypeLiteral<Map<String, Backend>>() {}));
        assertEquals(Set.of("tf"), backends.keySet());
        assertTrue(backends.get("tf") instanceof TfBackend);
        Backend again = injector.getInstance(Key.get(new TypeLiteral<Map<String, Backend>>() {}))
                .get("tf");
        // Each caller closes its own backend, so a lookup must never hand out one that another closed.
        assertNotSame(backends.get("tf"), again);
        backends.get("tf").close();
        again.close();
    }

    @Test
    void moduleIsFoundByTheServiceLoader() {
        List<Module> modules = ServiceLoader.load(Module.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        List<BackendModule> tf = modules.stream()
                .filter(m -> m instanceof BackendModule b && b.backendId().equals("tf"))
                .map(BackendModule.class::cast)
                .toList();
        assertEquals(1, tf.size());
        assertTrue(tf.get(0) instanceof TfBackendModule);
    }

    @Test
    void sessionOptionsComeFromSystemProperties() {
        String intra = System.getProperty(TfSessionOptions.INTRA_OP_PROPERTY);
        String inter = System.getProperty(TfSessionOptions.INTER_OP_PROPERTY);
        try {
            System.clearProperty(TfSessionOptions.INTRA_OP_PROPERTY);
            System.clearProperty(TfSessionOptions.INTER_OP_PROPERTY);
            int cores = Runtime.getRuntime().availableProcessors();
            assertEquals(new TfSessionOptions(1, Math.max(2, cores)), TfSessionOptions.fromSystemProperties());
            System.setProperty(TfSessionOptions.INTRA_OP_PROPERTY, "3");
            System.setProperty(TfSessionOptions.INTER_OP_PROPERTY, " 0 ");
            TfSessionOptions o = TfSessionOptions.fromSystemProperties();
            assertEquals(new TfSessionOptions(3, 0), o);
            assertFalse(o.deterministic());
            ConfigProto proto = o.toConfigProto();
            assertEquals(3, proto.getIntraOpParallelismThreads());
            assertEquals(0, proto.getInterOpParallelismThreads());
            assertTrue(proto.getGraphOptions().getRewriteOptions().getDisableMetaOptimizer(), "Grappler stays off");
            System.setProperty(TfSessionOptions.INTER_OP_PROPERTY, "two");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, TfSessionOptions::fromSystemProperties);
            assertEquals(
                    "system property rnn4j.tf.interOpThreads must be an integer >= 0 (0 = TensorFlow chooses), got 'two';"
                            + " remove it to use " + Math.max(2, cores),
                    e.getMessage());
            System.setProperty(TfSessionOptions.INTER_OP_PROPERTY, "-1");
            assertThrows(IllegalArgumentException.class, TfSessionOptions::fromSystemProperties);
        } finally {
            restore(TfSessionOptions.INTRA_OP_PROPERTY, intra);
            restore(TfSessionOptions.INTER_OP_PROPERTY, inter);
        }
    }

    /** The thread rule, worked by hand: one intra-op thread, an inter-op thread per core but at least 2. */
    @Test
    void threadsFollowTheCores() {
        assertEquals(new TfSessionOptions(1, 2), TfSessionOptions.forCores(1));
        assertEquals(new TfSessionOptions(1, 2), TfSessionOptions.forCores(2));
        assertEquals(new TfSessionOptions(1, 4), TfSessionOptions.forCores(4));
        assertEquals(new TfSessionOptions(1, 16), TfSessionOptions.forCores(16));
        assertTrue(TfSessionOptions.forCores(16).deterministic(), "more cores never change the sums");
        assertThrows(IllegalArgumentException.class, () -> TfSessionOptions.forCores(0));
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    /** The engine's own program behind a {@link org.rnn4j.api.backend.SplitProgram} (on more than one core). */
    static org.rnn4j.api.backend.Program unsplit(org.rnn4j.api.backend.Program p) {
        return p instanceof org.rnn4j.api.backend.SplitProgram s ? s.first() : p;
    }

    /**
     * Closing the backend closes what compile handed out: on more than one core the split around
     * the program, whose part threads stop with it (closing only the program inside left them idle).
     */
    @Test
    void closingTheBackendClosesWhatCompileHandedOutAndItsThreads() throws InterruptedException {
        org.rnn4j.api.model.ModelSpec spec = splittable(0);
        Tensor x = ids(3, 2);
        Tensor y = Fixtures.floats(3, 1, 33, 3, 3);
        org.rnn4j.api.weights.WeightStore w = Fixtures.weights(spec, 5, 0.5);
        Set<Thread> before = Set.copyOf(partThreads());
        TfBackend backend = new TfBackend();
        org.rnn4j.api.backend.Program p = backend.compile(spec);
        boolean split = org.rnn4j.api.backend.SplitProgram.parts() > 1;
        assertEquals(
                split,
                p instanceof org.rnn4j.api.backend.SplitProgram,
                "split exactly when there are cores to split over");
        p.trainStep(x, y, w, java.util.Map.of());
        p.trainStep(x, y, w, java.util.Map.of()); // split, on more than one core: the part threads start
        // Threads of this test's split only (other tests' programs may have their own).
        List<Thread> ours =
                partThreads().stream().filter(t -> !before.contains(t)).toList();
        assertEquals(split, !ours.isEmpty(), "a split step runs its other parts on the split's threads");
        backend.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.predict(x, w));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        for (Thread t : ours) {
            t.join(10_000);
            assertFalse(t.isAlive(), "a part thread outlived the backend: " + t);
        }
    }

    /** W2's wiring with an LSTM(256): 33 rows split into 17 + 16 (on more than one core). */
    private static org.rnn4j.api.model.ModelSpec splittable(double dropout) {
        return Sequential.builder()
                .tokenInput(3)
                .add(Layers.embedding(7, 4))
                .add(Layers.lstm(256).returnSequences(true).dropout(dropout))
                .add(Layers.dense(3))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
    }

    /** 33 rows of 3 ids under 7: {@code (i * mul + add) % 7}. */
    private static Tensor ids(int mul, int add) {
        int[] ids = new int[33 * 3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * mul + add) % 7;
        }
        return Tensor.ofInts(ids, 33, 3);
    }

    private static List<Thread> partThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("rnn4j-tf-part") && t.isAlive())
                .toList();
    }

    /**
     * On TensorFlow every part of a split step runs through the same program at once (a session is
     * thread-safe); the split step is the whole one up to float rounding.
     */
    @Test
    void aSplitStepRunsThroughOneProgramAndIsTheWholeStep() {
        org.rnn4j.api.model.ModelSpec spec = splittable(0.1);
        Tensor x = ids(5, 1);
        Tensor y = Fixtures.floats(2, 1, 33, 3, 3);
        org.rnn4j.api.weights.WeightStore w = Fixtures.weights(spec, 4, 0.5);
        java.util.Map<String, Tensor> noise = TfProgramGradientTest.masks(spec, 3, 33, 5);
        try (TfBackend backend = new TfBackend();
                TfProgram whole =
                        new TfProgram(spec, TfSessionOptions.defaults().toConfigProto(), p -> {});
                org.rnn4j.api.backend.SplitProgram split = new org.rnn4j.api.backend.SplitProgram(
                        spec,
                        "tf",
                        java.util.Collections.nCopies(
                                2,
                                new TfProgram(spec, TfSessionOptions.defaults().toConfigProto(), p -> {})),
                        () -> {},
                        () -> {},
                        () -> {})) {
            assertEquals(2, split.partsFor(33));
            split.trainStep(x, y, w, noise); // whole: it finds out there are no batch statistics
            org.rnn4j.api.backend.Program.StepResult a = split.trainStep(x, y, w, noise);
            org.rnn4j.api.backend.Program.StepResult b = whole.trainStep(x, y, w, noise);
            assertEquals(b.loss(), a.loss(), 1e-6 * Math.abs(b.loss()));
            assertTrue(b.output().maxAbsDiff(a.output()) <= 1e-6);
            for (String k : b.gradients().keySet()) {
                Tensor gb = b.gradients().get(k);
                double scale = gb.maxAbsDiff(Tensor.zeros(gb.shape()));
                assertTrue(scale > 0, k);
                assertTrue(gb.maxAbsDiff(a.gradients().get(k)) <= 1e-5 * Math.max(1, scale), k);
            }
            if (org.rnn4j.api.backend.SplitProgram.parts() > 1) {
                try (org.rnn4j.api.backend.Program p = backend.compile(spec)) {
                    assertTrue(p instanceof org.rnn4j.api.backend.SplitProgram, "more than one core: split");
                }
            }
        }
    }
}
