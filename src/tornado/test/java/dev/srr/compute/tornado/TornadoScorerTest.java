package dev.srr.compute.tornado;

import dev.srr.bench.tornado.ScorerCheck;
import dev.srr.rank.FeatureList;
import dev.srr.rank.Ranker;
import dev.srr.rank.RankerConfig;
import dev.srr.compute.Backends;
import dev.srr.compute.Scorer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer graph against {@link Ranker#scoreAll} on random rankers and lists ({@link ScorerCheck}). */
class TornadoScorerTest {
    @BeforeAll
    static void bailOutsFail() {
        assertTrue("false".equalsIgnoreCase(System.getProperty("tornado.recover.bailout")),
                "run with -Dtornado.recover.bailout=False (the tornado profile's surefire argLine) so a bail-out fails the test");
    }

    @Test
    void scoresMatchCpuRanker() {
        double worst = 0;
        for (ScorerCheck.Result r : ScorerCheck.run(200, 12, 9)) {
            System.out.printf("TornadoScorerTest: %-60s relative error %.3e%n", r.what(), r.error());
            assertTrue(r.error() <= ScorerCheck.TOLERANCE, r.what() + ": relative error " + r.error());
            worst = Math.max(worst, r.error());
        }
        System.out.printf("TornadoScorerTest: worst relative error %.3e%n", worst);
    }

    @Test
    void batchesLargerThanTheDeviceBufferRunInParts() {
        RankerConfig c = ScorerCheck.configs(16).getFirst();
        Ranker cpu = ScorerCheck.randomRanker(c, 5);
        List<FeatureList> lists = ScorerCheck.randomLists(c.featureDim(), 40, 8, 6);
        String old = System.getProperty(TornadoScorer.MAX_ROWS);
        System.setProperty(TornadoScorer.MAX_ROWS, "20");
        try (Scorer gpu = Backends.scorer(cpu, "tornado")) {
            List<double[]> actual = gpu.scoreAll(lists);
            List<double[]> expected = cpu.scoreAll(lists);
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < lists.size(); i++) {
                assertTrue(ScorerCheck.relativeError(actual.get(i), expected.get(i)) <= ScorerCheck.TOLERANCE, "list " + i);
            }
        } finally {
            if (old == null) System.clearProperty(TornadoScorer.MAX_ROWS);
            else System.setProperty(TornadoScorer.MAX_ROWS, old);
        }
    }
}
