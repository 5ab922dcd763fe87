package dev.srr.compute;

import dev.srr.model.ModelConfig;
import dev.srr.model.ModelWeights;

import java.util.ArrayList;
import java.util.List;

/**
 * The decoder layer of all supported families written once as a list of {@link Op}s. Family differences
 * are config flags: biases on q/k/v, per-head q/k norm.
 *
 * <pre>
 * X ─RmsNorm─► NORMED ─Linear─► Q,K,V ─[HeadNorm]─Rope─► Attention ─► ATTN ─Linear(o)─► DELTA ─Residual─► X
 * X ─RmsNorm─► NORMED ─Linear─► GATE, UP ─SwiGlu─► GATE ─Linear(down)─► DELTA ─Residual─► X
 * </pre>
 */
public final class LayerPlan {
    private LayerPlan() {
    }

    public static List<Op> layer(ModelConfig c, int i) {
        List<Op> ops = new ArrayList<>();
        boolean bias = c.attentionBias();
        ops.add(new Op.RmsNorm(Buf.X, Buf.NORMED, ModelWeights.layer(i, "input_layernorm.weight")));
        ops.add(new Op.Linear(Buf.NORMED, Buf.Q, ModelWeights.layer(i, "self_attn.q_proj.weight"),
                bias ? ModelWeights.layer(i, "self_attn.q_proj.bias") : null));
        ops.add(new Op.Linear(Buf.NORMED, Buf.K, ModelWeights.layer(i, "self_attn.k_proj.weight"),
                bias ? ModelWeights.layer(i, "self_attn.k_proj.bias") : null));
        ops.add(new Op.Linear(Buf.NORMED, Buf.V, ModelWeights.layer(i, "self_attn.v_proj.weight"),
                bias ? ModelWeights.layer(i, "self_attn.v_proj.bias") : null));
        if (c.qkNorm()) {
            ops.add(new Op.HeadNorm(Buf.Q, ModelWeights.layer(i, "self_attn.q_norm.weight"), c.numHeads()));
            ops.add(new Op.HeadNorm(Buf.K, ModelWeights.layer(i, "self_attn.k_norm.weight"), c.numKvHeads()));
        }
        ops.add(new Op.Rope(Buf.Q, c.numHeads()));
        ops.add(new Op.Rope(Buf.K, c.numKvHeads()));
        ops.add(new Op.Attention(i, Buf.Q, Buf.K, Buf.V, Buf.ATTN));
        ops.add(new Op.Linear(Buf.ATTN, Buf.DELTA, ModelWeights.layer(i, "self_attn.o_proj.weight"), null));
        ops.add(new Op.Residual(Buf.X, Buf.DELTA));
        ops.add(new Op.RmsNorm(Buf.X, Buf.NORMED, ModelWeights.layer(i, "post_attention_layernorm.weight")));
        ops.add(new Op.Linear(Buf.NORMED, Buf.GATE, ModelWeights.layer(i, "mlp.gate_proj.weight"), null));
        ops.add(new Op.Linear(Buf.NORMED, Buf.UP, ModelWeights.layer(i, "mlp.up_proj.weight"), null));
        ops.add(new Op.SwiGlu(Buf.GATE, Buf.UP));
        ops.add(new Op.Linear(Buf.GATE, Buf.DELTA, ModelWeights.layer(i, "mlp.down_proj.weight"), null));
        ops.add(new Op.Residual(Buf.X, Buf.DELTA));
        return List.copyOf(ops);
    }
}
