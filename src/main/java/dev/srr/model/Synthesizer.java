package dev.srr.model;

import dev.srr.Parallel;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Writes a checkpoint folder with a real model's shapes and seeded random weights: config.json in the key style
 * most published checkpoints use, sharded safetensors and their index. Same seed, same bytes.
 */
public final class Synthesizer {
    private static final int CHUNK = 1 << 20;

    private record Spec(String name, long[] shape, double scale, double center) {
        long size() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    private Synthesizer() {
    }

    public static void write(SynthPreset p, DType dtype, long seed, long shardBytes, Path out, LongConsumer progress) {
        ModelConfig c = modelConfig(p, dtype);
        List<Spec> specs = specs(c);
        List<CheckpointWriter.Entry> entries = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            long tensorSeed = seed * 0x9E3779B97F4A7C15L + i;
            entries.add(new CheckpointWriter.Entry(spec.name, dtype, spec.shape, o -> writeRandom(o, spec, dtype, tensorSeed, progress)));
        }
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("config.json", config(c, dtype));
        files.put("generation_config.json", generationConfig(p));
        CheckpointWriter.write(out, files, entries, shardBytes);
    }

    private static void writeRandom(java.io.OutputStream o, Spec spec, DType dtype, long tensorSeed, LongConsumer progress) throws IOException {
        long n = spec.size();
        int chunks = (int) ((n + CHUNK - 1) / CHUNK);
        int batch = Parallel.THREADS * 4;
        for (int c0 = 0; c0 < chunks; c0 += batch) {
            int cEnd = Math.min(chunks, c0 + batch);
            byte[][] bufs = new byte[cEnd - c0][];
            int base = c0;
            Parallel.forRange(cEnd - c0, 1, (from, to) -> {
                for (int k = from; k < to; k++) {
                    int c = base + k;
                    long start = (long) c * CHUNK;
                    int len = (int) Math.min(CHUNK, n - start);
                    bufs[k] = chunk(spec, dtype, new SplittableRandom(tensorSeed ^ (c * 0xBF58476D1CE4E5B9L)), len);
                }
            });
            for (byte[] b : bufs) {
                o.write(b);
                progress.accept(b.length);
            }
        }
    }

    private static byte[] chunk(Spec spec, DType dtype, SplittableRandom rng, int len) {
        byte[] out = new byte[len * dtype.bytes];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        // uniform in [-a, a] has standard deviation a / sqrt(3)
        double a = spec.scale * Math.sqrt(3);
        for (int i = 0; i < len; i++) {
            float v = (float) (spec.center + a * (2 * rng.nextDouble() - 1));
            switch (dtype) {
                case F32 -> bb.putFloat(v);
                case F16 -> bb.putShort(Float.floatToFloat16(v));
                case BF16 -> bb.putShort(Tensor.floatToBf16(v));
            }
        }
        return out;
    }

    /**
     * Every tensor of the model, in file order: projections scaled by 1/sqrt(fan-in), norms around 1, biases small;
     * the decoder layer's names, shapes and presence come from {@link LayerTensor}.
     */
    private static List<Spec> specs(ModelConfig c) {
        List<Spec> s = new ArrayList<>();
        long d = c.hiddenSize();
        s.add(new Spec(ModelWeights.EMBED, new long[]{c.vocabSize(), d}, 1.0, 0));
        for (int i = 0; i < c.numLayers(); i++) {
            for (LayerTensor t : LayerTensor.values()) {
                if (!t.presentIn(c)) continue;
                long[] shape = t.shape(c);
                String name = t.name(i);
                if (shape.length == 2) s.add(new Spec(name, shape, 1 / Math.sqrt(shape[1]), 0));
                else s.add(new Spec(name, shape, 0.1, name.endsWith("norm.weight") ? 1.0 : 0));
            }
        }
        s.add(new Spec(ModelWeights.FINAL_NORM, new long[]{d}, 0.1, 1.0));
        if (!c.tiedEmbeddings()) s.add(new Spec(ModelWeights.LM_HEAD, new long[]{c.vocabSize(), d}, 1 / Math.sqrt(d), 0));
        return s;
    }

    /** The config of a preset's model: Qwen2's q/k/v biases and Qwen3's q/k norms follow the family. */
    private static ModelConfig modelConfig(SynthPreset p, DType dtype) {
        Map<String, Object> s = p.ropeScaling();
        RopeScaling rope = s == null ? RopeScaling.plain(p.ropeTheta())
                : new RopeScaling((String) s.get("rope_type"), p.ropeTheta(), number(s, "factor"), number(s, "low_freq_factor"),
                number(s, "high_freq_factor"), (int) number(s, "original_max_position_embeddings"));
        return new ModelConfig(p.family(), p.vocab(), p.hidden(), p.intermediate(), p.layers(), p.heads(), p.kvHeads(),
                p.headDim(), (float) p.rmsEps(), rope, p.maxPositions(), p.tied(), p.family().equals("qwen2"),
                p.family().equals("qwen3"), 0, dtype.name().toLowerCase(java.util.Locale.ROOT), -1, new int[0]);
    }

    private static Map<String, Object> config(ModelConfig c, DType dtype) {
        Map<String, Object> config = ConfigWriter.config(c, dtype);
        config.put("srr_synthesized", "random weights, not a trained model");
        return config;
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static Map<String, Object> generationConfig(SynthPreset p) {
        Map<String, Object> g = new LinkedHashMap<>();
        if (p.family().startsWith("qwen") && p.vocab() > 151645) {
            g.put("bos_token_id", 151643);
            g.put("eos_token_id", List.of(151645, 151643));
        } else if (p.vocab() > 128009 && p.family().equals("llama")) {
            g.put("bos_token_id", 128000);
            g.put("eos_token_id", List.of(128001, 128008, 128009));
        } else if (p.vocab() >= 32000) {
            g.put("bos_token_id", 1);
            g.put("eos_token_id", 2);
        }
        return g;
    }
}
