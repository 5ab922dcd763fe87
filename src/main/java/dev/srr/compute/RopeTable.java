package dev.srr.compute;

import dev.srr.model.ModelConfig;

import java.util.Arrays;

/** Cosines and sines per position, computed on first use as transformers does (float32 angle, then cos/sin). */
public final class RopeTable {
    private final float[] inverseFrequencies;
    private float[][] cos = new float[0][];
    private float[][] sin = new float[0][];

    public RopeTable(ModelConfig c) {
        this(c.rope().inverseFrequencies(c.headDim()));
    }

    RopeTable(float[] inverseFrequencies) {
        this.inverseFrequencies = inverseFrequencies;
    }

    public float[] cos(int pos) {
        ensure(pos);
        return cos[pos];
    }

    public float[] sin(int pos) {
        ensure(pos);
        return sin[pos];
    }

    private void ensure(int pos) {
        if (pos < cos.length) return;
        synchronized (this) {
            if (pos < cos.length) return;
            int n = Math.max(pos + 1, cos.length * 2);
            float[][] c = Arrays.copyOf(cos, n);
            float[][] s = Arrays.copyOf(sin, n);
            for (int p = cos.length; p < n; p++) {
                c[p] = new float[inverseFrequencies.length];
                s[p] = new float[inverseFrequencies.length];
                for (int j = 0; j < inverseFrequencies.length; j++) {
                    float angle = p * inverseFrequencies[j];
                    c[p][j] = (float) Math.cos(angle);
                    s[p][j] = (float) Math.sin(angle);
                }
            }
            sin = s;
            cos = c;
        }
    }
}
