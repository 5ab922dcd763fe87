package dev.srr.compute.tornado;

import dev.srr.compute.Buf;

/** One device task of a decoder layer: a run of {@link dev.srr.compute.Op}s fused by {@link Fuser}. */
sealed interface Stage {
    /** Task name inside the layer (the task is {@code layer_N.name} in its block graph, e.g. {@code block_0.layer_3.attention}). */
    String name();

    /** RmsNorm(X -> NORMED). */
    record Norm(String name, String weight) implements Stage {
    }

    /** Linear q, k, v from NORMED into one q|k|v buffer, biases included. */
    record Qkv(String[] weights, String[] biases) implements Stage {
        public String name() {
            return "qkv";
        }
    }

    /** [HeadNorm q, k] + Rope q, k + the k/v store of Attention into the layer's cache. */
    record RopeStore(String qNorm, String kNorm) implements Stage {
        public String name() {
            return "rope";
        }
    }

    /** The attention of Attention over the cache. */
    record Attend(int layer) implements Stage {
        public String name() {
            return "attention";
        }
    }

    /** Linear(in -> DELTA) + Residual(X += DELTA): the projection adds straight into the residual stream. */
    record ProjectAdd(String name, Buf in, String weight) implements Stage {
    }

    /** Linear gate and up from NORMED + SwiGlu into the hidden buffer. */
    record GateUp(String gate, String up) implements Stage {
        public String name() {
            return "gate_up";
        }
    }
}
