package dev.srr.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** LIBLINEAR's solution against an independent Newton's-method reference (scripts/gen-logreg-reference.py, numpy). */
class LogisticRegressionTest {

    @Test
    void matchesTheNewtonReference() throws Exception {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("logreg-reference.json")) {
            ref = Json.MAPPER.readTree(in);
        }
        List<LogisticRegression.Row> rows = new ArrayList<>();
        int n = ref.get("x").size(), d = ref.get("x").get(0).size();
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            JsonNode x = ref.get("x").get(i);
            List<Integer> idx = new ArrayList<>();
            List<Double> val = new ArrayList<>();
            for (int j = 0; j < d; j++) {
                if (x.get(j).asDouble() != 0) {
                    idx.add(j);
                    val.add(x.get(j).asDouble());
                }
            }
            rows.add(new LogisticRegression.Row(idx.stream().mapToInt(Integer::intValue).toArray(),
                    val.stream().mapToDouble(Double::doubleValue).toArray()));
            y[i] = ref.get("y").get(i).asDouble() > 0;
        }
        LogisticRegression lr = LogisticRegression.fit(rows, y, d, ref.get("C").asDouble(), 1e-10);
        double[] w = lr.weights();
        for (int j = 0; j < d; j++) assertEquals(ref.get("w").get(j).asDouble(), w[j], 1e-6, "w[" + j + "]");
        assertEquals(ref.get("b").asDouble(), lr.bias(), 1e-6, "intercept");
        for (int i = 0; i < n; i++) {
            assertEquals(ref.get("probability").get(i).asDouble(), lr.probability(rows.get(i)), 1e-7, "P(positive) of row " + i);
        }
    }

    @Test
    void theSignDoesNotDependOnWhichClassComesFirst() {
        // two separable-ish points per class; the first row negative, so LIBLINEAR sees label -1 first
        List<LogisticRegression.Row> rows = List.of(row(0, -1), row(0, -2), row(0, 1), row(0, 2));
        boolean[] y = {false, false, true, true};
        LogisticRegression lr = LogisticRegression.fit(rows, y, 1, 1.0, 1e-8);
        assertEquals(true, lr.weights()[0] > 0, "positive class lies at positive x");
        assertEquals(true, lr.probability(row(0, 3)) > 0.5);
        assertEquals(true, lr.probability(row(0, -3)) < 0.5);
    }

    @Test
    void refusesOneClass() {
        SrrException e = assertThrows(SrrException.class,
                () -> LogisticRegression.fit(List.of(row(0, 1), row(0, 2)), new boolean[]{true, true}, 1, 1.0, 1e-6));
        assertEquals(true, e.getMessage().contains("both classes"), e.getMessage());
    }

    private static LogisticRegression.Row row(int j, double v) {
        return new LogisticRegression.Row(new int[]{j}, new double[]{v});
    }
}
