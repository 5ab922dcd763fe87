package dev.srr.compute.tornado;

import dev.srr.compute.RopeTable;
import dev.srr.model.ModelConfig;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * The step's buffers besides the weights and the KV cache: the step metadata, activations, scratch, RoPE tables,
 * the embedding (also the LM head when tied) and the two staging buffers the host reads back. All stay on the
 * device; only the metadata goes up per execution and only requested rows of the staging buffers come down.
 */
final class StepBuffers {
    final StepMeta meta;
    /** Residual stream, rows x hidden. */
    final FloatArray x;
    /** RMSNorm output, rows x hidden. */
    final FloatArray normed;
    /** q | k | v per row. */
    final FloatArray qkv;
    /** Attention output, rows x qDim. */
    final FloatArray attn;
    /** SwiGLU output, rows x intermediate. */
    final FloatArray hidden;
    /** Attention scores, rows x heads x context. */
    final FloatArray scores;
    /** cos and sin per position and frequency, context x headDim/2. */
    final FloatArray cos;
    final FloatArray sin;
    final TornadoNativeArray embedding;
    /** Captured rows, slot after slot (slot x rows x hidden, {@code captureRows} rows in all). */
    final FloatArray captures;
    /** Logits of the picked rows, logitRows x vocab. */
    final FloatArray logits;

    StepBuffers(ModelConfig c, TornadoSettings s, TornadoNativeArray embedding) {
        int rows = s.maxRows();
        this.meta = new StepMeta(rows, c.numLayers(), s.logitRows());
        this.captures = new FloatArray(s.captureRows() * c.hiddenSize());
        this.logits = new FloatArray(s.logitRows() * c.vocabSize());
        this.x = new FloatArray(rows * c.hiddenSize());
        this.normed = new FloatArray(rows * c.hiddenSize());
        this.qkv = new FloatArray(rows * (c.qDim() + 2 * c.kvDim()));
        this.attn = new FloatArray(rows * c.qDim());
        this.hidden = new FloatArray(rows * c.intermediateSize());
        long scoreCount = (long) rows * c.numHeads() * s.context();
        if (scoreCount > Integer.MAX_VALUE) {
            throw new dev.srr.SrrException("attention scratch of " + scoreCount + " floats is too large: lower -D"
                    + TornadoSettings.PREFIX + "maxRows or -D" + TornadoSettings.PREFIX + "context");
        }
        this.scores = new FloatArray((int) scoreCount);
        int half = c.headDim() / 2;
        RopeTable rope = new RopeTable(c);
        this.cos = new FloatArray(s.context() * half);
        this.sin = new FloatArray(s.context() * half);
        for (int p = 0; p < s.context(); p++) {
            float[] cp = rope.cos(p);
            float[] sp = rope.sin(p);
            for (int j = 0; j < half; j++) {
                cos.set(p * half + j, cp[j]);
                sin.set(p * half + j, sp[j]);
            }
        }
        this.embedding = embedding;
    }

    /** What the blocks of a step pass on to each other on the device (everything but the metadata). */
    Object[] shared() {
        return new Object[]{x, normed, qkv, attn, hidden, scores, cos, sin, embedding, captures, logits};
    }

    /** The shared float buffers besides the embedding, which may be 16-bit. */
    FloatArray[] sharedFloats() {
        return java.util.Arrays.stream(shared()).filter(a -> a != embedding && a instanceof FloatArray)
                .toArray(FloatArray[]::new);
    }
}
