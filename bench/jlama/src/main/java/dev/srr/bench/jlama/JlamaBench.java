package dev.srr.bench.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;

import java.io.File;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

/**
 * Jlama's prompt processing and decode on a checkpoint folder, measured like {@code srr bench}: pp = one batched
 * forward of N seeded random token ids plus the last row's logits; tg = N single-token steps from an empty
 * cache, greedy. Prints one JSON line: {"pp": [...tok/s], "tg": [...tok/s], ...}.
 * Usage: JlamaBench MODEL_DIR PP TG REPEAT THREADS WORKING_QUANT(F32|BF16|I8)
 */
public final class JlamaBench {
    public static void main(String[] args) {
        File dir = new File(args[0]);
        int pp = Integer.parseInt(args[1]);
        int tg = Integer.parseInt(args[2]);
        int repeat = Integer.parseInt(args[3]);
        PhysicalCoreExecutor.overrideThreadCount(Integer.parseInt(args[4]));
        DType quant = DType.valueOf(args[5]);
        AbstractModel model = ModelSupport.loadModel(dir, DType.F32, quant);
        int vocab = model.getConfig().vocabularySize;
        Random random = new Random(7);
        double[] ppRates = new double[repeat];
        double[] tgRates = new double[repeat];
        for (int r = -1; r < repeat; r++) { // r = -1: warm-up
            if (pp > 0) {
                int[] prompt = random.ints(pp, 0, vocab).toArray();
                try (KvBufferCache cache = new KvBufferCache(model)) {
                    KvBufferCache.KvBuffer kv = cache.getKvBuffer(UUID.randomUUID());
                    long t0 = System.nanoTime();
                    AbstractTensor out = model.batchForward(prompt, 0, kv);
                    AbstractTensor logits = model.makeDenseTensor(vocab);
                    model.sample(out.slice(pp - 1), 0f, 0.5f, logits);
                    double rate = pp / ((System.nanoTime() - t0) / 1e9);
                    if (r >= 0) ppRates[r] = rate;
                    out.close();
                    logits.close();
                }
            }
            if (tg > 0) {
                try (KvBufferCache cache = new KvBufferCache(model)) {
                    KvBufferCache.KvBuffer kv = cache.getKvBuffer(UUID.randomUUID());
                    AbstractTensor logits = model.makeDenseTensor(vocab);
                    int next = random.nextInt(vocab);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < tg; i++) {
                        AbstractTensor out = model.forward(next, i, kv, java.util.Optional.empty());
                        next = model.sample(out, 0f, 0.5f, logits);
                        out.close();
                    }
                    double rate = tg / ((System.nanoTime() - t0) / 1e9);
                    if (r >= 0) tgRates[r] = rate;
                    logits.close();
                }
            }
            System.err.printf("jlama: run %d done%n", r);
        }
        System.out.printf("{\"peer\": \"jlama 0.8.4\", \"working_quant\": \"%s\", \"pp\": %s, \"tg\": %s}%n", quant,
                Arrays.toString(ppRates), Arrays.toString(tgRates));
        model.close();
        System.exit(0);
    }
}
