package dev.srr.rank;

import dev.srr.SrrException;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * Scores lists with a trained ranker on some device. {@link Ranker} itself is the CPU scorer (double precision,
 * the reference); {@code dev.srr.compute.tornado.TornadoScorer} runs the same network as one TornadoVM task
 * graph with the weights resident on the device. Callers ({@code respond}, {@code rank}) should hold a Scorer
 * and create it with {@link #create}, so {@code --backend tornado} applies to ranking too.
 */
public interface Scorer extends AutoCloseable {
    String TORNADO_CLASS = "dev.srr.compute.tornado.TornadoScorer";

    /** Scores of each list's candidates, in list order: higher means safer. */
    List<double[]> scoreAll(List<FeatureList> lists);

    default double[] score(FeatureList list) {
        return scoreAll(List.of(list)).getFirst();
    }

    /** Releases device memory; nothing to do on the CPU. */
    @Override
    default void close() {
    }

    /** {@code cpu}: the ranker itself; {@code tornado}: the TornadoVM scorer (needs a -Ptornado build on an SDK JVM). */
    static Scorer create(Ranker ranker, String backend) {
        return switch (backend) {
            case "cpu" -> ranker;
            case "tornado" -> tornado(ranker);
            default -> throw new SrrException("unknown backend '" + backend + "' (use cpu or tornado)");
        };
    }

    private static Scorer tornado(Ranker ranker) {
        try {
            return (Scorer) Class.forName(TORNADO_CLASS).getConstructor(Ranker.class).newInstance(ranker);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new SrrException("this srr build has no TornadoVM scorer: build it with 'mvn -Ptornado package' and run "
                    + "scripts/srr-tornado (see README, GPU section)");
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new SrrException("TornadoVM scorer failed to start: " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SrrException("TornadoVM scorer is not usable in this JVM (" + e + "); run it through scripts/srr-tornado");
        }
    }
}
