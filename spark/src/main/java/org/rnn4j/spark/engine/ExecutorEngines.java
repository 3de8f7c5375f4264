package org.rnn4j.spark.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * The engines of one executor JVM: one {@link Backend} per backend id, opened on first use and
 * kept until the JVM exits, and a pool of {@link Program}s per (backend, spec). Tasks of one
 * executor may run at once ({@code local[N]} runs N in the driver's JVM), so a task borrows a
 * program for its duration and returns it; a program is never used by two tasks at a time.
 */
public final class ExecutorEngines {
    private static final Map<String, Backend> BACKENDS = new ConcurrentHashMap<>();
    private static final Map<String, ConcurrentLinkedDeque<Program>> PROGRAMS = new ConcurrentHashMap<>();
    private static final Map<String, ModelSpec> SPECS = new ConcurrentHashMap<>();

    static {
        // Closing the engines at exit returns native memory before the JVM tears down its own.
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorEngines::closeAll, "rnn4j-engines-close"));
    }

    private ExecutorEngines() {}

    /** The backend {@code id} of this JVM. */
    public static Backend backend(String id) {
        return BACKENDS.computeIfAbsent(id, Rnn4j::backend);
    }

    /** The spec parsed from its JSON, once per JVM. */
    public static ModelSpec spec(String specJson) {
        return SPECS.computeIfAbsent(specJson, SpecJson::read);
    }

    /** Runs {@code work} with a program of {@code specJson} on backend {@code id}, borrowed from the pool. */
    public static <T> T withProgram(String id, String specJson, Function<Program, T> work) {
        String key = id + '\n' + specJson;
        ConcurrentLinkedDeque<Program> pool = PROGRAMS.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        Program program = pool.pollFirst();
        if (program == null) {
            program = backend(id).compile(spec(specJson));
        }
        try {
            return work.apply(program);
        } finally {
            pool.addFirst(program);
        }
    }

    private static synchronized void closeAll() {
        PROGRAMS.values().forEach(pool -> {
            for (Program p; (p = pool.pollFirst()) != null; ) {
                p.close();
            }
        });
        BACKENDS.values().forEach(Backend::close);
        BACKENDS.clear();
    }
}
