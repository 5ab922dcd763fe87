package dev.srr.compute;

import dev.srr.SrrException;
import dev.srr.model.ModelConfig;
import dev.srr.model.Weights;

import java.lang.reflect.InvocationTargetException;

/** Chooses a backend by name at start-up; the TornadoVM one exists only in builds with the {@code tornado} profile. */
public final class Backends {
    public static final String TORNADO_CLASS = "dev.srr.compute.tornado.TornadoBackend";

    private Backends() {
    }

    public static Backend create(String name, ModelConfig config, Weights weights) {
        return switch (name) {
            case "cpu" -> new CpuBackend(config, weights);
            case "tornado" -> tornado(config, weights);
            default -> throw new SrrException("unknown backend '" + name + "' (use cpu or tornado)");
        };
    }

    private static Backend tornado(ModelConfig config, Weights weights) {
        Class<?> type;
        try {
            type = Class.forName(TORNADO_CLASS);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new SrrException("this srr build has no TornadoVM backend: build it with 'mvn -Ptornado package' and run "
                    + "scripts/srr-tornado with TORNADOVM_HOME pointing at a TornadoVM SDK (see README, GPU section)");
        }
        try {
            return (Backend) type.getConstructor(ModelConfig.class, Weights.class).newInstance(config, weights);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new SrrException("TornadoVM backend failed to start: " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SrrException("TornadoVM backend is not usable in this JVM (" + e + "); run it through scripts/srr-tornado");
        }
    }
}
