package dev.srr.compute;

import dev.srr.model.ModelConfig;
import dev.srr.model.LayerTensor;

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
        ops.add(new Op.RmsNorm(Buf.X, Buf.NORMED, LayerTensor.INPUT_LAYERNORM.name(i)));
        ops.add(new Op.Linear(Buf.NORMED, Buf.Q, LayerTensor.Q_PROJ.name(i),
                bias ? LayerTensor.Q_BIAS.name(i) : null));
        ops.add(new Op.Linear(Buf.NORMED, Buf.K, LayerTensor.K_PROJ.name(i),
                bias ? LayerTensor.K_BIAS.name(i) : null));
        ops.add(new Op.Linear(Buf.NORMED, Buf.V, LayerTensor.V_PROJ.name(i),
                bias ? LayerTensor.V_BIAS.name(i) : null));
        if (c.qkNorm()) {
            ops.add(new Op.HeadNorm(Buf.Q, LayerTensor.Q_NORM.name(i), c.numHeads()));
            ops.add(new Op.HeadNorm(Buf.K, LayerTensor.K_NORM.name(i), c.numKvHeads()));
        }
        ops.add(new Op.Rope(Buf.Q, c.numHeads()));
        ops.add(new Op.Rope(Buf.K, c.numKvHeads()));
        ops.add(new Op.Attention(i, Buf.Q, Buf.K, Buf.V, Buf.ATTN));
        ops.add(new Op.Linear(Buf.ATTN, Buf.DELTA, LayerTensor.O_PROJ.name(i), null));
        ops.add(new Op.Residual(Buf.X, Buf.DELTA));
        ops.add(new Op.RmsNorm(Buf.X, Buf.NORMED, LayerTensor.POST_ATTENTION_LAYERNORM.name(i)));
        ops.add(new Op.Linear(Buf.NORMED, Buf.GATE, LayerTensor.GATE_PROJ.name(i), null));
        ops.add(new Op.Linear(Buf.NORMED, Buf.UP, LayerTensor.UP_PROJ.name(i), null));
        ops.add(new Op.SwiGlu(Buf.GATE, Buf.UP));
        ops.add(new Op.Linear(Buf.GATE, Buf.DELTA, LayerTensor.DOWN_PROJ.name(i), null));
        ops.add(new Op.Residual(Buf.X, Buf.DELTA));
        return List.copyOf(ops);
    }
}
