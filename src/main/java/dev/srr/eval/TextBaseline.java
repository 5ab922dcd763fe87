package dev.srr.eval;

import dev.srr.SrrException;
import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The text-only baseline: a bag-of-words logistic regression on the candidate text alone, trained on the training
 * lists' labelled candidates (every labelled candidate, whether or not its list has both labels) and scoring
 * P(safe). It sees neither the prompt nor the model.
 *
 * <p>Features: lower-cased word tokens ({@code [\p{L}\p{N}']+}), unigrams and bigrams, kept when they occur in at
 * least {@link #MIN_DOCUMENTS} training candidates; presence (0/1), each row scaled to unit length. The model is
 * {@link LogisticRegression} with C = {@link #C} (LIBLINEAR's default), not tuned.
 */
public final class TextBaseline {
    /** The method's name in tables. */
    public static final String NAME = "bag-of-words LR";
    static final int MIN_DOCUMENTS = 2;
    static final double C = 1.0;
    static final double TOLERANCE = 1e-6;
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}']+");

    private final Map<String, Integer> vocabulary;
    private final LogisticRegression model;
    private final int trainingCandidates;

    private TextBaseline(Map<String, Integer> vocabulary, LogisticRegression model, int trainingCandidates) {
        this.vocabulary = vocabulary;
        this.model = model;
        this.trainingCandidates = trainingCandidates;
    }

    /**
     * @throws SrrException when the training lists do not hold labelled candidates of both classes
     */
    public static TextBaseline train(List<SafetyList> lists, Labeler labeler) {
        List<Set<String>> docs = new ArrayList<>();
        List<Boolean> safe = new ArrayList<>();
        for (SafetyList l : lists) {
            Boolean[] y = labeler.labels(l);
            for (int i = 0; i < y.length; i++) {
                if (y[i] == null) continue;
                docs.add(terms(l.candidates().get(i).text()));
                safe.add(y[i]);
            }
        }
        Map<String, Integer> df = new TreeMap<>();
        for (Set<String> d : docs) for (String t : d) df.merge(t, 1, Integer::sum);
        Map<String, Integer> vocabulary = new HashMap<>();
        for (Map.Entry<String, Integer> e : df.entrySet()) if (e.getValue() >= MIN_DOCUMENTS) vocabulary.put(e.getKey(), vocabulary.size());
        List<LogisticRegression.Row> rows = new ArrayList<>();
        for (Set<String> d : docs) rows.add(row(d, vocabulary));
        boolean[] y = new boolean[safe.size()];
        for (int i = 0; i < y.length; i++) y[i] = safe.get(i);
        try {
            return new TextBaseline(vocabulary, LogisticRegression.fit(rows, y, vocabulary.size(), C, TOLERANCE), rows.size());
        } catch (SrrException e) {
            throw new SrrException("text baseline: " + e.getMessage());
        }
    }

    /** P(safe) per candidate text, in order. */
    public double[] score(String[] texts) {
        double[] s = new double[texts.length];
        for (int i = 0; i < s.length; i++) s[i] = model.probability(row(terms(texts[i]), vocabulary));
        return s;
    }

    /** Scores for each list. */
    public List<double[]> scoreAll(List<SafetyList> lists) {
        return lists.stream().map(l -> score(l.texts())).toList();
    }

    public int vocabularySize() {
        return vocabulary.size();
    }

    public int trainingCandidates() {
        return trainingCandidates;
    }

    /** The distinct unigrams and bigrams of a text ({@code "a b"} for a bigram). */
    static Set<String> terms(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) return out;
        var m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        String previous = null;
        while (m.find()) {
            String t = m.group();
            out.add(t);
            if (previous != null) out.add(previous + " " + t);
            previous = t;
        }
        return out;
    }

    private static LogisticRegression.Row row(Set<String> terms, Map<String, Integer> vocabulary) {
        int[] idx = terms.stream().map(vocabulary::get).filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).sorted().toArray();
        double[] v = new double[idx.length];
        java.util.Arrays.fill(v, idx.length == 0 ? 0 : 1 / Math.sqrt(idx.length));
        return new LogisticRegression.Row(idx, v);
    }
}
