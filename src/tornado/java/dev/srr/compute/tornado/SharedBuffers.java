package dev.srr.compute.tornado;

import dev.srr.compute.RopeTable;
import dev.srr.model.ModelConfig;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * Device buffers every graph of the plan shares: activations, scratch, RoPE tables, the step metadata and the
 * embedding (also the LM head when tied). The init graph allocates them once; every other graph consumes them
 * from the graph that ran before it and persists them for the next (TornadoVM passes device buffers from the
 * last executed graph), so every graph lists all of them even if its tasks use only some.
 */
final class SharedBuffers {
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

    SharedBuffers(ModelConfig c, TornadoSettings s, TornadoNativeArray embedding) {
        int rows = s.maxRows();
        this.meta = new StepMeta(rows);
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

    /** Everything but the step metadata, which the embed graph uploads itself. */
    Object[] allButMeta() {
        return new Object[]{x, normed, qkv, attn, hidden, scores, cos, sin, embedding};
    }

    Object[] all() {
        return new Object[]{meta.array(), x, normed, qkv, attn, hidden, scores, cos, sin, embedding};
    }
}
