package dev.srr.compute.tornado;

import dev.srr.compute.Buf;
import dev.srr.compute.Op;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a layer's {@link dev.srr.compute.LayerPlan} ops into device {@link Stage}s by matching neighbours, so the
 * device runs the same plan as the CPU with fewer launches: three projections become one, gate/up/SwiGLU one,
 * each residual add rides on the projection before it, head norm and RoPE ride with the cache store.
 * An op sequence it does not know fails loudly instead of being run some other way.
 */
final class Fuser {
    private final List<Op> ops;
    private int at;

    private Fuser(List<Op> ops) {
        this.ops = ops;
    }

    static List<Stage> fuse(List<Op> ops) {
        return new Fuser(ops).run();
    }

    private List<Stage> run() {
        List<Stage> out = new ArrayList<>();
        while (at < ops.size()) {
            Op op = ops.get(at);
            switch (op) {
                case Op.RmsNorm n when n.in() == Buf.X && n.out() == Buf.NORMED -> {
                    at++;
                    out.add(new Stage.Norm(normName(n.weight()), n.weight()));
                }
                case Op.Linear l when l.in() == Buf.NORMED && l.out() == Buf.Q -> out.add(qkv());
                case Op.HeadNorm h -> out.add(ropeStore());
                case Op.Rope r -> out.add(ropeStore());
                case Op.Attention a -> {
                    at++;
                    out.add(new Stage.Attend(a.layer()));
                }
                case Op.Linear l when l.in() == Buf.NORMED && l.out() == Buf.GATE -> out.add(gateUp());
                case Op.Linear l when l.out() == Buf.DELTA && l.bias() == null -> out.add(projectAdd(l));
                default -> throw unexpected();
            }
        }
        return out;
    }

    private Stage qkv() {
        Op.Linear q = expect(Op.Linear.class);
        Op.Linear k = expect(Op.Linear.class);
        Op.Linear v = expect(Op.Linear.class);
        if (k.out() != Buf.K || v.out() != Buf.V || k.in() != Buf.NORMED || v.in() != Buf.NORMED) throw unexpected();
        boolean biases = q.bias() != null;
        if ((k.bias() != null) != biases || (v.bias() != null) != biases) throw unexpected();
        return new Stage.Qkv(new String[]{q.weight(), k.weight(), v.weight()},
                biases ? new String[]{q.bias(), k.bias(), v.bias()} : null);
    }

    private Stage ropeStore() {
        String qNorm = null;
        String kNorm = null;
        if (ops.get(at) instanceof Op.HeadNorm) {
            Op.HeadNorm hq = expect(Op.HeadNorm.class);
            Op.HeadNorm hk = expect(Op.HeadNorm.class);
            if (hq.buf() != Buf.Q || hk.buf() != Buf.K) throw unexpected();
            qNorm = hq.weight();
            kNorm = hk.weight();
        }
        Op.Rope rq = expect(Op.Rope.class);
        Op.Rope rk = expect(Op.Rope.class);
        if (rq.buf() != Buf.Q || rk.buf() != Buf.K) throw unexpected();
        if (!(ops.get(at) instanceof Op.Attention a) || a.q() != Buf.Q || a.k() != Buf.K || a.v() != Buf.V || a.out() != Buf.ATTN) {
            throw unexpected();
        }
        return new Stage.RopeStore(qNorm, kNorm);
    }

    private Stage gateUp() {
        Op.Linear g = expect(Op.Linear.class);
        Op.Linear u = expect(Op.Linear.class);
        Op.SwiGlu s = expect(Op.SwiGlu.class);
        if (u.out() != Buf.UP || u.in() != Buf.NORMED || s.gate() != Buf.GATE || s.up() != Buf.UP || g.bias() != null || u.bias() != null) {
            throw unexpected();
        }
        return new Stage.GateUp(g.weight(), u.weight());
    }

    private Stage projectAdd(Op.Linear l) {
        at++;
        Op.Residual r = expect(Op.Residual.class);
        if (r.acc() != Buf.X || r.in() != Buf.DELTA || (l.in() != Buf.ATTN && l.in() != Buf.GATE)) throw unexpected();
        return new Stage.ProjectAdd(l.in() == Buf.ATTN ? "o_proj" : "down_proj", l.in(), l.weight());
    }

    private <T extends Op> T expect(Class<T> type) {
        if (at >= ops.size() || !type.isInstance(ops.get(at))) throw unexpected();
        return type.cast(ops.get(at++));
    }

    private IllegalStateException unexpected() {
        return new IllegalStateException("the TornadoVM backend cannot fuse the layer plan at op " + at + ": "
                + (at < ops.size() ? ops.get(at) : "end of plan") + " (teach dev.srr.compute.tornado.Fuser this pattern)");
    }

    /** "model.layers.3.input_layernorm.weight" -> "input_layernorm". */
    private static String normName(String weight) {
        String s = weight.endsWith(".weight") ? weight.substring(0, weight.length() - ".weight".length()) : weight;
        return s.substring(s.lastIndexOf('.') + 1);
    }
}
