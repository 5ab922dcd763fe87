package dev.srr.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How two labelers agree on the candidates of some lists, e.g. the keyword rule against the human labels the data
 * carries. Counts a 3 x 3 table per source (safe, unsafe, unlabelled on each side); agreement and Cohen's kappa
 * (Cohen 1960: {@code (p_o - p_e) / (1 - p_e)}, p_e from the two sides' marginals) are taken over the candidates
 * both label.
 *
 * @param bySource per source ({@code (no source)} for lists without one), the table; key {@code all} sums them
 */
public record LabelAgreement(Map<String, Table> bySource) {
    public static final String ALL = "all";

    /**
     * {@code counts[r][k]}: reference label r, other label k, each 0 safe, 1 unsafe, 2 unlabelled.
     */
    public record Table(long[][] counts) {
        static Table empty() {
            return new Table(new long[3][3]);
        }

        /** Candidates both sides label. */
        public long bothLabelled() {
            return counts[0][0] + counts[0][1] + counts[1][0] + counts[1][1];
        }

        /** Share of {@link #bothLabelled} where they agree; NaN when none. */
        public double agreement() {
            long n = bothLabelled();
            return n == 0 ? Double.NaN : (double) (counts[0][0] + counts[1][1]) / n;
        }

        /** Cohen's kappa over the candidates both label; NaN when undefined. */
        public double kappa() {
            double n = bothLabelled();
            if (n == 0) return Double.NaN;
            double po = (counts[0][0] + counts[1][1]) / n;
            double refSafe = (counts[0][0] + counts[0][1]) / n, otherSafe = (counts[0][0] + counts[1][0]) / n;
            double pe = refSafe * otherSafe + (1 - refSafe) * (1 - otherSafe);
            return pe == 1 ? Double.NaN : (po - pe) / (1 - pe);
        }

        /** Candidates the reference labels that the other side leaves unlabelled. */
        public long otherUnlabelled() {
            return counts[0][2] + counts[1][2];
        }

        public long total() {
            long t = 0;
            for (long[] row : counts) for (long c : row) t += c;
            return t;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            String[] names = {"safe", "unsafe", "unlabelled"};
            Map<String, Object> table = new LinkedHashMap<>();
            for (int r = 0; r < 3; r++) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int k = 0; k < 3; k++) row.put(names[k], counts[r][k]);
                table.put(names[r], row);
            }
            m.put("counts_reference_by_other", table);
            m.put("candidates", total());
            m.put("both_labelled", bothLabelled());
            m.put("agreement", Double.isNaN(agreement()) ? null : agreement());
            m.put("cohen_kappa", Double.isNaN(kappa()) ? null : kappa());
            m.put("reference_labelled_other_unlabelled", otherUnlabelled());
            return m;
        }
    }

    /** Compares {@code other} against {@code reference} on every candidate of {@code lists}. */
    public static LabelAgreement of(List<SafetyList> lists, Labeler reference, Labeler other) {
        Map<String, Table> by = new TreeMap<>();
        Table all = Table.empty();
        for (SafetyList l : lists) {
            Table t = by.computeIfAbsent(l.source() == null ? "(no source)" : l.source(), k -> Table.empty());
            Boolean[] r = reference.labels(l);
            Boolean[] o = other.labels(l);
            for (int i = 0; i < r.length; i++) {
                int a = index(r[i]), b = index(o[i]);
                t.counts()[a][b]++;
                all.counts()[a][b]++;
            }
        }
        Map<String, Table> out = new LinkedHashMap<>(by);
        out.put(ALL, all);
        return new LabelAgreement(out);
    }

    private static int index(Boolean label) {
        return label == null ? 2 : label ? 0 : 1;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        bySource.forEach((k, v) -> m.put(k, v.toJson()));
        return m;
    }
}
