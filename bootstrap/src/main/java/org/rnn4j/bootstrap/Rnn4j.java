package org.rnn4j.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.backend.BackendModule;

/**
 * Where rnn4j is put together: finds the backend modules on the classpath (each backend jar lists
 * a Guice module in {@code META-INF/services/com.google.inject.Module}), binds them into one
 * {@code MapBinder<String, Backend>}, and picks one. A library user needs one call:
 * <pre>{@code try (Backend backend = Rnn4j.backend("dl4j")) { ... } }</pre>
 *
 * <p>Choice order: the explicit id, else the {@code RNN4J_BACKEND} environment variable, else the
 * {@code rnn4j.backend} system property, else {@link #DEFAULT_BACKEND}.
 */
public final class Rnn4j {
    /** TensorFlow Java: the faster engine to start and to train on this project's benchmarks. */
    public static final String DEFAULT_BACKEND = "tf";

    public static final String ENV = "RNN4J_BACKEND";
    public static final String PROPERTY = "rnn4j.backend";

    private Rnn4j() {}

    /** The id to use: {@code explicit} if given, else environment, property, default. */
    public static String resolveId(String explicit) {
        return choose(explicit).id();
    }

    /** A backend id and where it came from, for error messages. */
    private record Choice(String id, String source) {}

    private static Choice choose(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return new Choice(explicit.trim(), "given to Rnn4j.backend");
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new Choice(env.trim(), "from the " + ENV + " environment variable");
        }
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return new Choice(prop.trim(), "from the system property " + PROPERTY);
        }
        return new Choice(DEFAULT_BACKEND, "the default");
    }

    /** A new injector over every backend module on the classpath. */
    public static Injector injector() {
        return Guice.createInjector(backendModules());
    }

    static List<Module> backendModules() {
        List<Module> modules = new ArrayList<>();
        for (Module m : ServiceLoader.load(Module.class)) {
            if (m instanceof BackendModule) {
                modules.add(m);
            }
        }
        return modules;
    }

    /** The ids of the backends on the classpath. */
    public static Set<String> available() {
        Set<String> ids = new TreeSet<>();
        for (Module m : backendModules()) {
            ids.add(((BackendModule) m).backendId());
        }
        return ids;
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
        Choice choice = choose(id);
        String chosen = choice.id();
        List<Module> modules = backendModules();
        Set<String> ids = new TreeSet<>();
        for (Module m : modules) {
            ids.add(((BackendModule) m).backendId());
        }
        if (!ids.contains(chosen)) {
            throw new IllegalArgumentException(notAvailable(choice, ids));
        }
        // Install only the chosen engine's module, so the other engine's natives are never loaded.
        Module chosenModule = modules.stream()
                .filter(m -> ((BackendModule) m).backendId().equals(chosen))
                .findFirst()
                .orElseThrow();
        Injector injector = Guice.createInjector(chosenModule);
        Map<String, Backend> map = injector.getInstance(Key.get(new TypeLiteral<Map<String, Backend>>() {}));
        return map.get(chosen);
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
