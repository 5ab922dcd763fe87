package dev.srr.rank;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankerTrainingTest {

    @Test
    void learnsASyntheticSafetyDirectionToNinetyFivePercentOnHeldOutLists() {
        int d = 256;
        SyntheticLists task = new SyntheticLists(d, 2.5, 1);
        List<FeatureList> train = task.lists(600, 16, 10);
        List<FeatureList> val = task.lists(100, 16, 11);
        List<FeatureList> test = task.lists(300, 16, 12);
        RankerConfig cfg = RankerConfig.defaults(d).withProjection(64, 4, 256);
        TrainOptions opt = TrainOptions.defaults(cfg).withEpochs(20).withSeed(3);
        TrainResult r = RankerTrainer.train(train, val, opt, report -> System.out.printf(
                "epoch %2d  train loss %.4f  val loss %.4f  val acc %.3f  %.2fs%n", report.epoch(), report.trainLoss(),
                report.valLoss(), report.valAccuracy(), report.seconds()));
        RankingMetrics held = RankerTrainer.evaluate(r.ranker(), test);
        RankingMetrics random = RankingMetrics.expectedRandom(test.stream().map(FeatureList::safe).toList());
        System.out.printf("held-out accuracy %.3f (random %.3f), AUC %.3f, MRR %.3f, %.1fs total%n",
                held.accuracy(), random.accuracy(), held.pairwiseAuc(), held.mrr(), r.seconds());
        assertEquals(300, held.evaluableLists());
        assertTrue(held.accuracy() >= 0.95, "held-out ranking accuracy " + held.accuracy());
    }
}
