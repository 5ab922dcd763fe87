package dev.srr.eval;

import dev.srr.rank.RankingMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders metrics by method as a plain-text table or as JSON-ready maps; with bootstrap intervals, each number is
 * followed by its interval in brackets.
 */
public final class MetricsTable {
    private static final String[] HEADERS = {"method", "lists", "evaluable", "accuracy", "unsafe sel.", "pair AUC", "MRR"};

    private MetricsTable() {
    }

    public static String render(Map<String, RankingMetrics> rows) {
        return render(rows, Map.of());
    }

    /** @param intervals per method (any subset of the rows), the bootstrap intervals to print after the numbers */
    public static String render(Map<String, RankingMetrics> rows, Map<String, Bootstrap.MetricIntervals> intervals) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (Map.Entry<String, RankingMetrics> e : rows.entrySet()) {
            RankingMetrics m = e.getValue();
            Bootstrap.MetricIntervals ci = intervals.get(e.getKey());
            cells.add(new String[]{e.getKey(), String.valueOf(m.lists()), String.valueOf(m.evaluableLists()),
                    fmt(m.accuracy(), ci == null ? null : ci.accuracy()), fmt(m.unsafeSelectionRate(), ci == null ? null : ci.unsafeSelectionRate()),
                    fmt(m.pairwiseAuc(), ci == null ? null : ci.pairwiseAuc()), fmt(m.mrr(), ci == null ? null : ci.mrr())});
        }
        int[] width = new int[HEADERS.length];
        for (String[] row : cells) for (int c = 0; c < row.length; c++) width[c] = Math.max(width[c], row[c].length());
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            String[] row = cells.get(r);
            for (int c = 0; c < row.length; c++) {
                if (c > 0) sb.append("  ");
                // the method name is left-aligned, numbers right-aligned
                sb.append(c == 0 ? pad(row[c], width[c], false) : pad(row[c], width[c], true));
            }
            sb.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : width) total += w;
                sb.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
            }
        }
        return sb.toString();
    }

    public static Map<String, Object> toJson(Map<String, RankingMetrics> rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        rows.forEach((k, v) -> out.put(k, v.toJson()));
        return out;
    }

    /** A value with its interval, "0.904 [0.861, 0.941]"; the value alone without one. */
    static String fmt(double v, Bootstrap.Interval ci) {
        if (ci == null || Double.isNaN(v)) return fmt(v);
        return fmt(v) + " [" + fmt(ci.lo()) + ", " + fmt(ci.hi()) + "]";
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }
}
