package dev.srr.compute.tornado;

import dev.srr.SrrException;
import dev.srr.model.ModelConfig;

/**
 * Every tunable of the TornadoVM backend, read once from system properties ({@code -Dsrr.tornado.*}, see
 * tornado-config/srr-tornado.conf). Local sizes are work-group sizes per kernel family: powers of two up to
 * {@link Kernels#MAX_LOCAL}.
 */
public record TornadoSettings(String device, String weights, int maxRows, int slots, int context, int logitRows, int captureRows, int blockLayers,
                       int localMatmul, int localNorm, int localHead, int localAttention, int localCopy) {
    public static final String PREFIX = "srr.tornado.";
    /** The device, {@code B:D} (backend, device), else TornadoVM's default. */
    public static final String DEVICE = PREFIX + "device";
    /** The weight format on the device: auto, f32, f16 or raw16. */
    public static final String WEIGHTS = PREFIX + "weights";

    static TornadoSettings fromSystemProperties(ModelConfig c) {
        int maxRows = positive("maxRows", 256);
        return new TornadoSettings(
                System.getProperty(DEVICE, ""),
                System.getProperty(WEIGHTS, "auto"),
                maxRows,
                positive("slots", 8),
                Math.min(c.maxPositions(), positive("context", 4096)),
                positive("logitRows", 16),
                Math.max(positive("captureRows", 1024), maxRows),
                positive("blockLayers", 8),
                local("local.matmul", 128),
                local("local.norm", 128),
                local("local.head", 32),
                local("local.attention", 64),
                local("local.copy", 128));
    }

    private static int positive(String key, int fallback) {
        String v = System.getProperty(PREFIX + key);
        if (v == null || v.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SrrException("-D" + PREFIX + key + "=" + v + ": expected a positive integer");
    }

    private static int local(String key, int fallback) {
        int n = positive(key, fallback);
        if (Integer.bitCount(n) != 1 || n > Kernels.MAX_LOCAL) {
            throw new SrrException("-D" + PREFIX + key + "=" + n + ": expected a power of two up to " + Kernels.MAX_LOCAL);
        }
        return n;
    }
}
