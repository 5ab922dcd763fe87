package dev.srr.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded shuffling of each list's candidates, for evaluating without the order the data files were written in
 * (in the converted safety data the first candidate is very often the unsafe one). Every method sees the same
 * shuffled order, so ties, which always go to the earliest candidate, are broken at random too.
 */
public final class CandidateOrder {
    private CandidateOrder() {
    }

    /** The permutation for list {@code id}: new position i holds old candidate {@code order[i]}. */
    public static int[] permutation(String id, int m, long seed) {
        // seeded per list id, so a list is shuffled the same way whatever else is in the file
        Random rng = new Random(seed ^ id.hashCode() * 0x9E3779B97F4A7C15L);
        int[] order = new int[m];
        for (int i = 0; i < m; i++) order[i] = i;
        for (int i = m - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    public static SafetyList shuffle(SafetyList list, long seed) {
        int[] order = permutation(list.id(), list.candidates().size(), seed);
        List<Candidate> c = new ArrayList<>(order.length);
        for (int i : order) c.add(list.candidates().get(i));
        return new SafetyList(list.id(), list.source(), list.prompt(), list.messages(), List.copyOf(c), list.fields(),
                list.file(), list.line());
    }
}
