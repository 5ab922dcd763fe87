package dev.srr.compute;

import dev.srr.SrrException;
import dev.srr.model.ModelConfig;
import dev.srr.model.Weights;
import dev.srr.rank.Ranker;

import java.lang.reflect.InvocationTargetException;

/**
 * Chooses where compute runs, by backend name at start-up: {@code cpu}, or {@code tornado}, whose classes exist only
 * in builds with the Maven profile {@code tornado} and are therefore made by reflection.
 */
public final class Backends {
    private static final String TORNADO_BACKEND = "dev.srr.compute.tornado.TornadoBackend";
    private static final String TORNADO_SCORER = "dev.srr.compute.tornado.TornadoScorer";

    private Backends() {
    }

    /** The forward of a model on backend {@code name}. */
    public static Backend create(String name, ModelConfig config, Weights weights) {
        return switch (name) {
            case "cpu" -> new CpuBackend(config, weights);
            case "tornado" -> tornado(TORNADO_BACKEND, "backend", new Class<?>[]{ModelConfig.class, Weights.class}, config, weights);
            default -> throw unknown(name);
        };
    }

    /** A ranker's scorer on backend {@code name}: the ranker itself on the CPU, one task graph on a TornadoVM device. */
    public static Scorer scorer(Ranker ranker, String name) {
        return switch (name) {
            case "cpu" -> ranker::scoreAll;
            case "tornado" -> tornado(TORNADO_SCORER, "scorer", new Class<?>[]{Ranker.class}, ranker);
            default -> throw unknown(name);
        };
    }

    private static SrrException unknown(String name) {
        return new SrrException("unknown backend '" + name + "' (use cpu or tornado)");
    }

    /** A TornadoVM class made with the constructor taking {@code types}; {@code what} names it in errors. */
    @SuppressWarnings("unchecked")
    private static <T> T tornado(String className, String what, Class<?>[] types, Object... args) {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new SrrException("this srr build has no TornadoVM " + what + ": build it with 'mvn -Ptornado package' and run "
                    + "scripts/srr-tornado with TORNADOVM_HOME pointing at a TornadoVM SDK (see README, GPU section)");
        }
        try {
            return (T) type.getConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new SrrException("TornadoVM " + what + " failed to start: " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SrrException("TornadoVM " + what + " is not usable in this JVM (" + e + "); run it through scripts/srr-tornado");
        }
    }
}
