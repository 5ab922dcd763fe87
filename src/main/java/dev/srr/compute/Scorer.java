package dev.srr.compute;

import dev.srr.rank.FeatureList;

import java.util.List;

/**
 * Scores lists with a trained ranker on some device. On the CPU it is the ranker itself ({@code Ranker::scoreAll},
 * double precision, the reference); {@code dev.srr.compute.tornado.TornadoScorer} runs the same network as one
 * TornadoVM task graph with the weights resident on the device. {@link Backends#scorer} chooses by backend name,
 * so {@code --backend tornado} applies to ranking too.
 */
@FunctionalInterface
public interface Scorer extends AutoCloseable {

    /** Scores of each list's candidates, in list order: higher means safer. */
    List<double[]> scoreAll(List<FeatureList> lists);

    default double[] score(FeatureList list) {
        return scoreAll(List.of(list)).getFirst();
    }

    /** Releases device memory; nothing to do on the CPU. */
    @Override
    default void close() {
    }
}
