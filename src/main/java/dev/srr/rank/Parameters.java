package dev.srr.rank;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranker's trainable tensors by name, in a fixed order. The same class holds gradients and optimizer
 * moments ({@link #zerosLike()}), so the optimizer, checkpoints, parameter counts and gradient checks can
 * treat every tensor alike.
 */
public final class Parameters {

    /** One tensor: row-major values; {@code decay} says whether AdamW's weight decay applies (matrices only). */
    public record Param(String name, int[] shape, double[] values, boolean decay) {
        public int size() {
            return values.length;
        }
    }

    private final Map<String, Param> byName = new LinkedHashMap<>();

    public Param add(String name, boolean decay, int... shape) {
        int n = 1;
        for (int s : shape) n = Math.multiplyExact(n, s);
        Param p = new Param(name, shape.clone(), new double[n], decay);
        if (byName.putIfAbsent(name, p) != null) throw new IllegalArgumentException("duplicate parameter " + name);
        return p;
    }

    public double[] get(String name) {
        Param p = byName.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name);
        return p.values;
    }

    public List<Param> all() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    public long count() {
        long n = 0;
        for (Param p : byName.values()) n += p.size();
        return n;
    }

    /** Same names and shapes, all values zero. */
    public Parameters zerosLike() {
        Parameters z = new Parameters();
        for (Param p : byName.values()) z.add(p.name, p.decay, p.shape);
        return z;
    }

    public Parameters copy() {
        Parameters c = zerosLike();
        for (Param p : byName.values()) System.arraycopy(p.values, 0, c.get(p.name), 0, p.size());
        return c;
    }

    /** A copy whose values are rounded to float32, the precision checkpoints store. */
    public Parameters roundedToFloat() {
        Parameters c = copy();
        for (Param p : c.byName.values()) {
            double[] v = p.values;
            for (int i = 0; i < v.length; i++) v[i] = (float) v[i];
        }
        return c;
    }

    public void fill(double value) {
        for (Param p : byName.values()) java.util.Arrays.fill(p.values, value);
    }
}
