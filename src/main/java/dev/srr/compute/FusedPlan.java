package dev.srr.compute;

import java.util.ArrayList;
import java.util.List;

/**
 * A layer plan regrouped for the CPU backend. Consecutive projections of the same input become one
 * {@link Exec.Projections} (one packing of the input, one parallel pass); a projection whose only use is a
 * following residual add writes straight into the residual stream; gate, up and SwiGLU become {@link Exec.GateUp}.
 * Results are bit-for-bit those of running the ops one by one.
 */
final class FusedPlan {
    sealed interface Exec {
        record Single(Op op) implements Exec {
        }

        /** {@code outs[j] (+)= in x linears[j]}; accumulate[j] marks a fused residual add. */
        record Projections(Buf in, List<Op.Linear> linears, List<Buf> outs, List<Boolean> accumulate) implements Exec {
        }

        /** {@code gate.out = silu(in x gate) * (in x up)}. */
        record GateUp(Op.Linear gate, Op.Linear up) implements Exec {
        }
    }

    private FusedPlan() {
    }

    static List<Exec> of(List<Op> ops) {
        List<Exec> out = new ArrayList<>();
        int i = 0;
        while (i < ops.size()) {
            if (!(ops.get(i) instanceof Op.Linear first)) {
                out.add(new Exec.Single(ops.get(i++)));
                continue;
            }
            if (i + 2 < ops.size() && ops.get(i + 1) instanceof Op.Linear up && ops.get(i + 2) instanceof Op.SwiGlu g
                    && up.in() == first.in() && g.gate() == first.out() && g.up() == up.out() && first.out() != up.out()
                    && first.in() != first.out() && up.in() != up.out()) {
                out.add(new Exec.GateUp(first, up));
                i += 3;
                continue;
            }
            List<Op.Linear> group = new ArrayList<>();
            List<Buf> outs = new ArrayList<>();
            List<Boolean> acc = new ArrayList<>();
            // a projection may join while no earlier member of the group wrote its input or its output
            while (i < ops.size() && ops.get(i) instanceof Op.Linear l && l.in() == first.in() && l.out() != l.in()
                    && !outs.contains(l.out()) && !outs.contains(l.in())) {
                group.add(l);
                outs.add(l.out());
                acc.add(false);
                i++;
            }
            if (group.size() == 1 && i < ops.size() && ops.get(i) instanceof Op.Residual r && r.in() == first.out()
                    && r.acc() != first.in()) {
                // the projection's own buffer is then left unwritten: nothing in a layer plan reads it afterwards
                outs.set(0, r.acc());
                acc.set(0, true);
                i++;
            }
            out.add(new Exec.Projections(first.in(), List.copyOf(group), List.copyOf(outs), List.copyOf(acc)));
        }
        return List.copyOf(out);
    }
}
