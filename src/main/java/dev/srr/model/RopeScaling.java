package dev.srr.model;

/**
 * Rotary embedding settings. {@code type} is one of {@code default}, {@code linear}, {@code llama3};
 * the llama3 fields are ignored for other types. {@code frequencyFactors}, when not null, holds one divisor per
 * rotated pair ({@code head_dim / 2} values) applied after the type's rescaling: GGUF files store llama3-style
 * scaling this way (the {@code rope_freqs.weight} tensor; llama.cpp divides each frequency by its factor).
 */
public record RopeScaling(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions, float[] frequencyFactors) {

    public RopeScaling(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                       int originalMaxPositions) {
        this(type, theta, factor, lowFreqFactor, highFreqFactor, originalMaxPositions, null);
    }

    public static RopeScaling plain(double theta) {
        return new RopeScaling("default", theta, 1, 1, 4, 8192);
    }

    /** The same settings with per-pair frequency divisors. */
    public RopeScaling withFrequencyFactors(float[] factors) {
        return new RopeScaling(type, theta, factor, lowFreqFactor, highFreqFactor, originalMaxPositions, factors.clone());
    }

    /**
     * Inverse frequencies for the even dimensions of one head, computed as transformers does (float32 powers,
     * then the type's rescaling), so that positions rotate by the same angles.
     */
    public float[] inverseFrequencies(int headDim) {
        int half = headDim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / headDim;
            inv[i] = 1.0f / (float) Math.pow(theta, exponent);
        }
        switch (type) {
            case "default" -> {
            }
            case "linear" -> {
                for (int i = 0; i < half; i++) inv[i] = (float) (inv[i] / factor);
            }
            case "llama3" -> {
                double lowWavelen = originalMaxPositions / lowFreqFactor;
                double highWavelen = originalMaxPositions / highFreqFactor;
                for (int i = 0; i < half; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    if (wavelen > lowWavelen) {
                        inv[i] = (float) (inv[i] / factor);
                    } else if (wavelen >= highWavelen) {
                        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                        inv[i] = (float) ((1 - smooth) * inv[i] / factor + smooth * inv[i]);
                    }
                }
            }
            default -> throw new IllegalStateException("unchecked rope type " + type);
        }
        if (frequencyFactors != null) {
            for (int i = 0; i < half; i++) inv[i] = inv[i] / frequencyFactors[i];
        }
        return inv;
    }
}
