package org.rnn4j.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.TypeLiteral;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.BackendModule;

/**
 * Where rnn4j is put together: finds the backend modules on the classpath (each backend jar lists
 * a Guice module in {@code META-INF/services/com.google.inject.Module}), binds them into one
 * {@code MapBinder<String, Backend>} in one injector per process, and picks one. A library user
 * needs one call:
 * <pre>{@code try (Backend backend = Rnn4j.backend("dl4j")) { ... } }</pre>
 *
 * <p>Choice order, as in DJL and Spring: the explicit id (the CLI's {@code --backend}), else the
 * {@code rnn4j.backend} system property, else the {@code RNN4J_BACKEND} environment variable, else
 * {@link #DEFAULT_BACKEND}. Each call returns a new backend, which the caller closes; only the
 * chosen engine is constructed, so the other engine's natives are never loaded.
 */
public final class Rnn4j {
    /** TensorFlow Java: the faster engine to start and to train on this project's benchmarks. */
    public static final String DEFAULT_BACKEND = "tf";

    public static final String ENV = "RNN4J_BACKEND";
    public static final String PROPERTY = "rnn4j.backend";

    private Rnn4j() {}

    /** The id to use: {@code explicit} if given, else the system property, the environment, the default. */
    public static String resolveId(String explicit) {
        return choose(explicit, System.getProperty(PROPERTY), System.getenv(ENV))
                .id();
    }

    /** A backend id and where it came from, for error messages. */
    record Choice(String id, String source) {}

    /** The precedence rule on its own, so that it is tested without touching the process's environment. */
    static Choice choose(String explicit, String property, String environment) {
        if (explicit != null && !explicit.isBlank()) {
            return new Choice(explicit.trim(), "given to Rnn4j.backend");
        }
        if (property != null && !property.isBlank()) {
            return new Choice(property.trim(), "from the system property " + PROPERTY);
        }
        if (environment != null && !environment.isBlank()) {
            return new Choice(environment.trim(), "from the " + ENV + " environment variable");
        }
        return new Choice(DEFAULT_BACKEND, "the default");
    }

    /** The backend modules on the classpath, by id: the one discovery loop. */
    static Map<String, Module> backendModules() {
        Map<String, Module> modules = new TreeMap<>();
        for (Module m : ServiceLoader.load(Module.class)) {
            if (m instanceof BackendModule b) {
                modules.put(b.backendId(), m);
            }
        }
        return modules;
    }

    /** Built on first use, once per process (the holder idiom makes that lazy and thread-safe). */
    private static final class Shared {
        static final Map<String, Module> MODULES = backendModules();
        static final Injector INJECTOR = Guice.createInjector(MODULES.values());
    }

    /** The process's injector over every backend module on the classpath. */
    public static Injector injector() {
        return Shared.INJECTOR;
    }

    /** The ids of the backends on the classpath. */
    public static Set<String> available() {
        return Collections.unmodifiableSet(new TreeSet<>(Shared.MODULES.keySet()));
    }

    /** The backend chosen by {@link #resolveId}(null). The caller closes it. */
    public static Backend backend() {
        return backend(null);
    }

    /**
     * A new backend by id (see {@link #resolveId}); the caller closes it. An unknown id, or an engine
     * whose jar is not on the classpath, is an {@link IllegalArgumentException} that lists the
     * available ids and names the artifact to add.
     */
    public static Backend backend(String id) {
        Choice choice = choose(id, System.getProperty(PROPERTY), System.getenv(ENV));
        Set<String> ids = available();
        if (!ids.contains(choice.id())) {
            throw new IllegalArgumentException(notAvailable(choice, ids));
        }
        // Providers, not instances: only the chosen engine is constructed (and loads its natives).
        Map<String, Provider<Backend>> providers =
                injector().getInstance(Key.get(new TypeLiteral<Map<String, Provider<Backend>>>() {}));
        return providers.get(choice.id()).get();
    }

    /** The engines this project ships, by id, and the artifact that brings each. */
    private static final Map<String, String> ARTIFACTS =
            Map.of("tf", "org.rnn4j:rnn4j-backend-tf", "dl4j", "org.rnn4j:rnn4j-backend-dl4j");

    private static String notAvailable(Choice choice, Set<String> available) {
        String id = choice.id();
        if (ARTIFACTS.containsKey(id)) {
            return "backend '" + id + "' (" + choice.source() + ") is not on the classpath; add " + ARTIFACTS.get(id)
                    + " to the dependencies" + (available.isEmpty() ? "" : " or choose one of " + available);
        }
        if (available.isEmpty()) {
            return "unknown backend '" + id + "' (" + choice.source() + ") and no backend on the classpath; add "
                    + ARTIFACTS.get("tf") + " or " + ARTIFACTS.get("dl4j") + " to the dependencies";
        }
        return "unknown backend '" + id + "' (" + choice.source() + "); available: " + available;
    }
}
