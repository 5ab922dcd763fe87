package dev.srr.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Deterministic train/validation/test split by seed that never separates lists about the same prompt:
 * lists whose prompts are equal after lower-casing and keeping only [a-z0-9] tokens go together, and so
 * do lists paired in {@code shared_prompts.json} (exact and near matches across sources). Whole groups are
 * shuffled by the seed and dealt to test, then validation, until each reaches its share of lists.
 */
public record ListSplit(List<SafetyList> train, List<SafetyList> validation, List<SafetyList> test) {

    /** Pairs of list ids that must stay on one side, e.g. from {@code shared_prompts.json}. */
    public record SharedPrompts(List<String[]> pairs) {
        public static final SharedPrompts NONE = new SharedPrompts(List.of());

        /** Reads {@code {"pairs": [{"a": id, "b": id, ...}, ...]}}. */
        public static SharedPrompts read(Path file) {
            JsonNode pairs = Json.read(file).get("pairs");
            if (pairs == null || !pairs.isArray()) throw new SrrException(file + ": field 'pairs' missing or not an array");
            List<String[]> out = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                JsonNode a = pairs.get(i).get("a");
                JsonNode b = pairs.get(i).get("b");
                if (a == null || b == null || !a.isTextual() || !b.isTextual()) {
                    throw new SrrException(file + ": pairs[" + i + "] needs string fields 'a' and 'b'");
                }
                out.add(new String[]{a.asText(), b.asText()});
            }
            return new SharedPrompts(List.copyOf(out));
        }
    }

    public static ListSplit split(List<SafetyList> lists, double validationShare, double testShare, long seed,
                                  SharedPrompts shared) {
        if (validationShare < 0 || testShare < 0 || validationShare + testShare >= 1) {
            throw new SrrException("split: validation and test shares must be >= 0 and sum to less than 1, got "
                    + validationShare + " and " + testShare);
        }
        int n = lists.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        Map<String, Integer> byPrompt = new HashMap<>();
        Map<String, Integer> byId = new HashMap<>();
        for (int i = 0; i < n; i++) {
            SafetyList l = lists.get(i);
            Integer sameId = byId.putIfAbsent(l.id(), i);
            if (sameId != null) union(parent, sameId, i);
            String key = normalise(l.requestText());
            if (key.isEmpty()) continue;
            Integer same = byPrompt.putIfAbsent(key, i);
            if (same != null) union(parent, same, i);
        }
        for (String[] pair : shared.pairs()) {
            Integer a = byId.get(pair[0]);
            Integer b = byId.get(pair[1]);
            if (a != null && b != null) union(parent, a, b);
        }
        // groups keyed by their smallest id, so the split does not depend on the input order
        Map<Integer, List<Integer>> members = new HashMap<>();
        for (int i = 0; i < n; i++) members.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
        TreeMap<String, List<Integer>> groups = new TreeMap<>();
        for (List<Integer> g : members.values()) {
            String key = g.stream().map(i -> lists.get(i).id()).min(String::compareTo).orElseThrow();
            groups.put(key, g);
        }
        List<List<Integer>> order = new ArrayList<>(groups.values());
        Random rng = new Random(seed);
        for (int i = order.size() - 1; i > 0; i--) java.util.Collections.swap(order, i, rng.nextInt(i + 1));

        long testTarget = Math.round(testShare * n);
        long valTarget = Math.round(validationShare * n);
        boolean[] inTest = new boolean[n];
        boolean[] inVal = new boolean[n];
        int tested = 0, validated = 0;
        for (List<Integer> g : order) {
            if (tested < testTarget) {
                for (int i : g) inTest[i] = true;
                tested += g.size();
            } else if (validated < valTarget) {
                for (int i : g) inVal[i] = true;
                validated += g.size();
            }
        }
        List<SafetyList> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < n; i++) (inTest[i] ? test : inVal[i] ? val : train).add(lists.get(i));
        return new ListSplit(List.copyOf(train), List.copyOf(val), List.copyOf(test));
    }

    /**
     * Whether a list is about a prompt of {@code lists}, by the rule the split keeps together: the same list id, a
     * list paired with one of them in {@code shared}, or an equal normalised prompt.
     */
    public static Predicate<SafetyList> sharesPromptWith(List<SafetyList> lists, SharedPrompts shared) {
        Set<String> prompts = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (SafetyList l : lists) {
            String key = normalise(l.requestText());
            if (!key.isEmpty()) prompts.add(key);
            ids.add(l.id());
        }
        Set<String> linked = new HashSet<>(ids);
        for (String[] pair : shared.pairs()) {
            if (ids.contains(pair[0])) linked.add(pair[1]);
            if (ids.contains(pair[1])) linked.add(pair[0]);
        }
        return l -> linked.contains(l.id()) || prompts.contains(normalise(l.requestText()));
    }

    /** Lower-case [a-z0-9] tokens joined by single spaces; the empty string for a missing prompt. */
    public static String normalise(String prompt) {
        if (prompt == null) return "";
        String[] tokens = prompt.toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            if (t.isEmpty()) continue;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(t);
        }
        return sb.toString();
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}
