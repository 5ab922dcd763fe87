package dev.srr.bench.tornado;

import dev.srr.compute.tornado.TornadoBackend;
import dev.srr.bench.ModelBench;
import dev.srr.engine.ForwardDriver;
import dev.srr.engine.LoadedModel;

import java.nio.file.Path;

/**
 * Wall-clock sanity numbers for one backend: start-up (load, upload, build graphs), then twice (the first run
 * includes kernel compilation) {@link ModelBench}'s prefill of a prompt and its decode steps with logits, for one
 * sequence and for K candidates forked from the prompt decoding together. Not a test: run it with
 * {@code SRR_MAIN=dev.srr.bench.tornado.DecodeBench scripts/srr-tornado MODEL [cpu|tornado] [prompt] [steps] [K]}.
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
            ForwardDriver forward = m.forward();
            System.out.printf("%s: %s, %d layers, hidden %d, vocab %d%n", backend,
                    forward.backend() instanceof TornadoBackend tb ? tb.description() : "cpu",
                    m.config().numLayers(), m.config().hiddenSize(), m.config().vocabSize());
            System.out.printf("open (load, upload, build graphs): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            ModelBench bench = new ModelBench(forward);
            for (int round = 0; round < 2; round++) {
                double prefill = 1e3 * promptLength / bench.prefill(promptLength);
                double decode = 1e3 / bench.decode(steps, 1, promptLength);
                double decodeK = 1e3 * k / bench.decode(steps, k, promptLength);
                System.out.printf("%s prefill %d tokens: %.1f ms | decode 1 row: %.2f ms/step | decode %d forked rows: %.2f ms/step%n",
                        round == 0 ? "first run " : "second run", promptLength, prefill, decode, k, decodeK);
            }
        }
    }
}
