package dev.srr.rank;

import dev.srr.SrrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Permutation equivariance, reproducibility, checkpoints and dimension checks on a small trained ranker. */
class RankerBehaviourTest {
    private static final int D = 48;
    private final SyntheticLists task = new SyntheticLists(D, 2.5, 5);
    private final RankerConfig cfg = RankerConfig.defaults(D).withProjection(16, 2, 32);

    private TrainResult trainSmall(long seed) {
        TrainOptions opt = TrainOptions.defaults(cfg).withEpochs(3).withBatchSize(8).withSeed(seed);
        return RankerTrainer.train(task.lists(40, 8, 1), task.lists(10, 8, 2), opt, ProgressListener.NONE);
    }

    @Test
    void permutingCandidatesPermutesTheScoresAndNothingElse() {
        Ranker ranker = trainSmall(1).ranker();
        Random rng = new Random(4);
        for (FeatureList list : task.lists(20, 12, 3)) {
            double[] scores = ranker.score(list);
            int[] order = new int[list.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double[] permuted = ranker.score(list.permuted(order));
            for (int i = 0; i < order.length; i++) {
                assertEquals(scores[order[i]], permuted[i], 1e-9, "candidate " + order[i] + " of " + list.id());
            }
        }
    }

    @Test
    void scoresOfAListDoNotDependOnTheOtherListsInTheBatch() {
        Ranker ranker = trainSmall(1).ranker();
        List<FeatureList> lists = task.lists(5, 10, 3);
        List<double[]> together = ranker.scoreAll(lists);
        for (int l = 0; l < lists.size(); l++) assertArrayEquals(ranker.score(lists.get(l)), together.get(l), 1e-12);
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndScores() {
        TrainResult a = trainSmall(42);
        TrainResult b = trainSmall(42);
        for (Parameters.Param p : a.ranker().parameters().all()) {
            assertArrayEquals(p.values(), b.ranker().parameters().get(p.name()), 0.0, p.name());
        }
        for (FeatureList list : task.lists(5, 10, 9)) assertArrayEquals(a.ranker().score(list), b.ranker().score(list), 0.0);
        assertEquals(a.history().stream().map(EpochReport::trainLoss).toList(),
                b.history().stream().map(EpochReport::trainLoss).toList());
        TrainResult c = trainSmall(43);
        assertNotEquals(a.ranker().parameters().get(RankerNetwork.PROJ_W)[0], c.ranker().parameters().get(RankerNetwork.PROJ_W)[0]);
    }

    @Test
    void savedAndReloadedCheckpointGivesIdenticalScores(@TempDir Path dir) throws Exception {
        TrainResult r = trainSmall(7);
        Path ckpt = dir.resolve("ranker");
        Map<String, Object> spec = Map.of("model", "test-model", "layer", 12, "pooling", "last");
        RankerCheckpoint.of(r, spec).save(ckpt);
        assertTrue(Files.isRegularFile(ckpt.resolve(RankerCheckpoint.WEIGHTS)));
        assertTrue(Files.isRegularFile(ckpt.resolve(RankerCheckpoint.METADATA)));
        try (var leftovers = Files.list(dir)) {
            assertEquals(1, leftovers.count(), "only the checkpoint folder remains");
        }

        RankerCheckpoint loaded = RankerCheckpoint.load(ckpt, D);
        assertEquals(spec, loaded.featureSpec());
        assertEquals(r.trainingDataHash(), loaded.trainingDataHash());
        assertEquals(7L, loaded.seed());
        assertEquals(r.ranker().config(), loaded.ranker().config());
        assertEquals(r.ranker().parameterCount(), loaded.ranker().parameterCount());
        for (FeatureList list : task.lists(10, 10, 8)) {
            assertArrayEquals(r.ranker().score(list), loaded.ranker().score(list), 0.0);
        }

        // saving again over an existing checkpoint replaces it
        RankerCheckpoint.of(trainSmall(8), spec).save(ckpt);
        assertEquals(8L, RankerCheckpoint.load(ckpt).seed());
    }

    @Test
    void loadingForADifferentFeatureDimensionIsRefusedNamingBothSizes(@TempDir Path dir) {
        Path ckpt = dir.resolve("ranker");
        RankerCheckpoint.of(trainSmall(7), Map.of()).save(ckpt);
        SrrException e = assertThrows(SrrException.class, () -> RankerCheckpoint.load(ckpt, 4096));
        assertTrue(e.getMessage().contains(String.valueOf(D)) && e.getMessage().contains("4096"), e.getMessage());
    }

    @Test
    void scoringFeaturesOfTheWrongDimensionIsRefusedNamingBothSizes() {
        Ranker ranker = trainSmall(1).ranker();
        SrrException e = assertThrows(SrrException.class,
                () -> ranker.score(new float[D + 1], new float[][]{new float[D + 1]}));
        assertTrue(e.getMessage().contains(String.valueOf(D + 1)) && e.getMessage().contains(String.valueOf(D)), e.getMessage());
    }

    @Test
    void trainingSkipsAndCountsListsWithoutBothSafeAndUnsafeCandidates() {
        List<FeatureList> lists = new java.util.ArrayList<>(task.lists(12, 6, 1));
        FeatureList base = lists.getFirst();
        Boolean[] allSafe = new Boolean[base.size()];
        java.util.Arrays.fill(allSafe, Boolean.TRUE);
        lists.add(new FeatureList("all-safe", base.instruction(), base.candidates(), allSafe));
        Boolean[] oneUnlabelled = base.safe().clone();
        oneUnlabelled[0] = null;
        lists.add(new FeatureList("with-unlabelled", base.instruction(), base.candidates(), oneUnlabelled));
        TrainResult r = RankerTrainer.train(lists, List.of(), TrainOptions.defaults(cfg).withEpochs(1), ProgressListener.NONE);
        assertEquals(1, r.counts().trainListsSkipped());
        assertEquals(1, r.counts().unlabelledCandidatesDropped());
        assertEquals(lists.size() - 1, r.counts().trainLists());
    }

    @Test
    void parameterCountAtTheDefaultShapeStaysUnderFiveMillion() {
        long n = RankerConfig.defaults(4096).parameterCount();
        System.out.println("parameters at d=4096, p=256: " + n);
        int p = 256, f = 1024;
        long expected = 4096L * p + p + 2L * p + 2L * p + (p * 3L * p + 3L * p) + (p * (long) p + p) + 2L * p
                + (p * (long) f + f) + (f * (long) p + p);
        assertEquals(expected, n);
        assertTrue(n < 5_000_000);
    }
}
