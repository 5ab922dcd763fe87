package dev.srr.rank;

import dev.srr.SrrException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One list as the ranker sees it: the instruction's feature vector, one vector per candidate, and each
 * candidate's safety label ({@code TRUE} safe, {@code FALSE} unsafe, {@code null} unlabelled).
 *
 * @param candidateIds optional names for the candidates (null when the caller has none)
 */
public record FeatureList(String id, float[] instruction, float[][] candidates, Boolean[] safe, String[] candidateIds) {

    public FeatureList {
        if (instruction == null) throw new SrrException("list " + id + ": missing instruction vector");
        if (candidates == null || candidates.length == 0) throw new SrrException("list " + id + ": no candidates");
        if (safe == null) safe = new Boolean[candidates.length];
        if (safe.length != candidates.length) {
            throw new SrrException("list " + id + ": " + safe.length + " labels for " + candidates.length + " candidates");
        }
        if (candidateIds != null && candidateIds.length != candidates.length) {
            throw new SrrException("list " + id + ": " + candidateIds.length + " candidate ids for " + candidates.length + " candidates");
        }
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i] == null || candidates[i].length != instruction.length) {
                throw new SrrException("list " + id + ": candidate " + i + " has dimension "
                        + (candidates[i] == null ? 0 : candidates[i].length) + ", instruction has " + instruction.length);
            }
        }
    }

    public FeatureList(String id, float[] instruction, float[][] candidates, Boolean[] safe) {
        this(id, instruction, candidates, safe, null);
    }

    public int size() {
        return candidates.length;
    }

    public int dim() {
        return instruction.length;
    }

    public int count(Boolean label) {
        int n = 0;
        for (Boolean b : safe) if (java.util.Objects.equals(b, label)) n++;
        return n;
    }

    /** Whether the list has at least one safe and one unsafe candidate (the lists a listwise loss can use). */
    public boolean hasSafeAndUnsafe() {
        return count(Boolean.TRUE) > 0 && count(Boolean.FALSE) > 0;
    }

    /** The same list without its unlabelled candidates, or null when none is labelled. */
    public FeatureList labelledOnly() {
        int n = size() - count(null);
        if (n == size()) return this;
        if (n == 0) return null;
        float[][] c = new float[n][];
        Boolean[] s = new Boolean[n];
        String[] ids = candidateIds == null ? null : new String[n];
        int k = 0;
        for (int i = 0; i < size(); i++) {
            if (safe[i] == null) continue;
            c[k] = candidates[i];
            s[k] = safe[i];
            if (ids != null) ids[k] = candidateIds[i];
            k++;
        }
        return new FeatureList(id, instruction, c, s, ids);
    }

    /** The list with candidates reordered so that new position {@code i} holds old candidate {@code order[i]}. */
    public FeatureList permuted(int[] order) {
        float[][] c = new float[size()][];
        Boolean[] s = new Boolean[size()];
        String[] ids = candidateIds == null ? null : new String[size()];
        for (int i = 0; i < order.length; i++) {
            c[i] = candidates[order[i]];
            s[i] = safe[order[i]];
            if (ids != null) ids[i] = candidateIds[order[i]];
        }
        return new FeatureList(id, instruction, c, s, ids);
    }

    /** SHA-256 over ids, labels and vector bits, in order: identifies the training data in a checkpoint. */
    public static String sha256(List<FeatureList> lists) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (FeatureList l : lists) {
            md.update(String.valueOf(l.id).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            update(md, l.instruction);
            for (int i = 0; i < l.size(); i++) {
                md.update((byte) (l.safe[i] == null ? 2 : l.safe[i] ? 1 : 0));
                update(md, l.candidates[i]);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        md.update(b.array());
    }
}
