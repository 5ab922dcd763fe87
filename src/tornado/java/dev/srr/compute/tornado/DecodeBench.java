package dev.srr.compute.tornado;

import dev.srr.compute.Step;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.engine.Transformer;

import java.nio.file.Path;
import java.util.List;

/**
 * Wall-clock sanity numbers for one backend: start-up (load, upload, compile on first use), prefill, and decode
 * steps with logits for one sequence and for K forked candidates decoding together. Not a test: run it with
 * {@code SRR_MAIN=dev.srr.compute.tornado.DecodeBench scripts/srr-tornado MODEL [cpu|tornado] [prompt] [steps] [K]}.
 */
public final class DecodeBench {
    private DecodeBench() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        String backend = args.length > 1 ? args[1] : "tornado";
        int promptLength = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int k = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        long t0 = System.nanoTime();
        try (LoadedModel m = LoadedModel.open(model, backend)) {
            Transformer t = m.transformer();
            System.out.printf("%s: %s, %d layers, hidden %d, vocab %d%n", backend, t.backend() instanceof TornadoBackend tb ? tb.description() : "cpu",
                    m.config().numLayers(), m.config().hiddenSize(), m.config().vocabSize());
            System.out.printf("open (load, upload, build graphs): %.0f ms%n", ms(t0));
            int[] prompt = new int[promptLength];
            for (int i = 0; i < promptLength; i++) prompt[i] = 1 + (i * 7919) % (m.config().vocabSize() - 1);
            CaptureRequest last = new CaptureRequest(new int[0], new Pooling[]{Pooling.LAST}, false, CaptureRequest.Logits.LAST);
            for (int round = 0; round < 2; round++) { // the first round includes kernel compilation
                int seq = t.cache().newSequence();
                long p0 = System.nanoTime();
                t.forwardInto(List.of(prompt), new int[]{seq}, last, null);
                double prefill = ms(p0);
                long d0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    t.step(new Step(new int[]{prompt[s % promptLength]}, new int[]{seq}, new int[]{promptLength + s}),
                            new int[0], new int[0], false, new int[]{0});
                }
                double decode = ms(d0) / steps;
                int[] forks = new int[k];
                int[] rows = new int[k];
                for (int i = 0; i < k; i++) {
                    forks[i] = t.cache().fork(seq, promptLength);
                    rows[i] = i;
                }
                long k0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    int[] tokens = new int[k];
                    int[] positions = new int[k];
                    for (int i = 0; i < k; i++) {
                        tokens[i] = prompt[(s + i) % promptLength];
                        positions[i] = promptLength + s;
                    }
                    t.step(new Step(tokens, forks, positions), new int[0], new int[0], false, rows);
                }
                double decodeK = ms(k0) / steps;
                for (int f : forks) t.cache().release(f);
                t.cache().release(seq);
                System.out.printf("%s prefill %d tokens: %.1f ms | decode 1 row: %.2f ms/step | decode %d forked rows: %.2f ms/step%n",
                        round == 0 ? "first run " : "second run", promptLength, prefill, decode, k, decodeK);
            }
        }
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }
}
