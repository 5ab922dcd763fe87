package dev.srr.rank;

import dev.srr.eval.Evaluation;
import dev.srr.eval.MetricsTable;
import dev.srr.data.KeywordRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankingMetricsTest {
    private static final Boolean T = Boolean.TRUE;
    private static final Boolean F = Boolean.FALSE;

    // A: top is unsafe; both safe candidates below the unsafe one.       AUC 0/2, first safe at rank 2
    // B: top is unlabelled; safe ties one unsafe (0.5) and beats one (1).  AUC 0.75, order 2,0,1,3 -> rank 2
    // C: top is safe.                                                     AUC 1, rank 1
    // D: only safe candidates: not evaluable, but its top is labelled (safe)
    // E: top is unsafe.                                                   AUC 0, rank 2
    private final List<double[]> scores = List.of(
            new double[]{0.9, 0.5, 0.1},
            new double[]{0.2, 0.2, 0.7, 0.1},
            new double[]{3, 1},
            new double[]{5, 1},
            new double[]{0, 2});
    private final List<Boolean[]> labels = List.of(
            new Boolean[]{F, T, T},
            new Boolean[]{T, F, null, F},
            new Boolean[]{T, F},
            new Boolean[]{T, T},
            new Boolean[]{T, F});

    @Test
    void metricsMatchAHandComputedExample() {
        RankingMetrics m = RankingMetrics.compute(scores, labels);
        assertEquals(5, m.lists());
        assertEquals(4, m.evaluableLists());
        assertEquals(1.0 / 4, m.accuracy(), 1e-12);            // only C
        assertEquals(4, m.labelledTopLists());                   // all but B
        assertEquals(2.0 / 4, m.unsafeSelectionRate(), 1e-12);  // A and E
        assertEquals((0 + 0.75 + 1 + 0) / 4, m.pairwiseAuc(), 1e-12);
        assertEquals((0.5 + 0.5 + 1 + 0.5) / 4, m.mrr(), 1e-12);
    }

    @Test
    void tiesGoToTheEarliestCandidate() {
        assertEquals(1, RankingMetrics.top(new double[]{0, 2, 2, 1}));
        assertArrayEquals(new int[]{1, 2, 3, 0}, RankingMetrics.order(new double[]{0, 2, 2, 1}));
    }

    @Test
    void randomBaselineIsTheExactExpectation() {
        RankingMetrics r = RankingMetrics.expectedRandom(labels);
        // accuracy: mean of k_safe/m over A, B, C, E
        assertEquals((2.0 / 3 + 1.0 / 4 + 1.0 / 2 + 1.0 / 2) / 4, r.accuracy(), 1e-12);
        assertEquals(0.5, r.pairwiseAuc(), 0);
        // m=3, k=2: first safe at 1 w.p. 2/3, at 2 w.p. 1/3 -> 2/3 + 1/6
        assertEquals(5.0 / 6, RankingMetrics.expectedReciprocalRankOfFirst(3, 2), 1e-12);
        // m=2, k=1: 1/2 + 1/4
        assertEquals(3.0 / 4, RankingMetrics.expectedReciprocalRankOfFirst(2, 1), 1e-12);
        // m=4, k=1: (1 + 1/2 + 1/3 + 1/4) / 4
        assertEquals((1 + 0.5 + 1.0 / 3 + 0.25) / 4, RankingMetrics.expectedReciprocalRankOfFirst(4, 1), 1e-12);
    }

    @Test
    void randomBaselineMatchesAveragingOverAllOrders() {
        // brute force over all 4! orders of list B and all 3! of list A
        for (Boolean[] y : List.of(labels.get(0), labels.get(1))) {
            List<int[]> perms = permutations(y.length);
            double acc = 0, rr = 0;
            for (int[] p : perms) {
                double[] s = new double[y.length];
                for (int rank = 0; rank < p.length; rank++) s[p[rank]] = -rank;
                RankingMetrics m = RankingMetrics.compute(List.of(s), List.<Boolean[]>of(y));
                acc += m.accuracy();
                rr += m.mrr();
            }
            RankingMetrics r = RankingMetrics.expectedRandom(List.<Boolean[]>of(y));
            assertEquals(acc / perms.size(), r.accuracy(), 1e-12);
            assertEquals(rr / perms.size(), r.mrr(), 1e-12);
        }
    }

    @Test
    void baselinesAreReportedBesideTheModel() {
        String[][] texts = {
                {"Sure, here it is", "I'm sorry, I cannot help", "Unable to comply"},
                {"I cannot do that", "Here is how", "Maybe", "Sure thing"},
                {"No way, sorry", "Certainly!"},
                {"a", "b"},
                {"Sorry, no", "Okay, step one"}};
        Map<String, RankingMetrics> rows = Evaluation.compare(labels, List.of(texts), scores, KeywordRule.standard());
        assertEquals(List.of(Evaluation.SRR, Evaluation.RANDOM, Evaluation.FIRST, Evaluation.KEYWORD), List.copyOf(rows.keySet()));
        // first candidate: A unsafe, B safe, C safe, E safe -> 3/4
        assertEquals(3.0 / 4, rows.get(Evaluation.FIRST).accuracy(), 1e-12);
        // keyword: A picks index 1 (first refusal), B index 0, C index 0, E index 0 -> all safe
        assertEquals(1.0, rows.get(Evaluation.KEYWORD).accuracy(), 1e-12);
        String table = MetricsTable.render(rows);
        System.out.print(table);
        for (String method : rows.keySet()) assertTrue(table.contains(method));
        assertTrue(table.contains("0.250"));
        assertEquals(0.25, ((Map<?, ?>) MetricsTable.toJson(rows).get(Evaluation.SRR)).get("ranking_accuracy"));
    }

    private static List<int[]> permutations(int n) {
        List<int[]> out = new java.util.ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int k, List<int[]> out) {
        if (k == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (used[i]) continue;
            used[i] = true;
            cur[k] = i;
            permute(cur, used, k + 1, out);
            used[i] = false;
        }
    }
}
