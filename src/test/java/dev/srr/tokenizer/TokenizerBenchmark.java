package dev.srr.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Encoding throughput of srr's tokenizer against Hugging Face's Rust tokenizers (through DJL), on the same
 * mixed corpus in one run. Not a test: run it with scripts/bench-tokenizer.
 * Arguments: tokenizer names from src/test/resources/tokenizers (default: all three).
 */
public final class TokenizerBenchmark {
    private static final int DOCUMENTS = 4000;
    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        List<String> names = args.length > 0 ? List.of(args) : TestTokenizers.NAMES;
        List<String> corpus = corpus();
        long bytes = corpus.stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
        System.out.printf("corpus: %d documents, %.1f MB UTF-8 (prose, code, CJK, emoji, random scripts)%n",
                corpus.size(), bytes / 1e6);
        for (String name : names) {
            Path json = Files.createTempFile("srr-bench-" + name, ".json");
            try (InputStream in = new GZIPInputStream(
                    Files.newInputStream(TestTokenizers.folder(name).resolve("tokenizer.json.gz")))) {
                Files.copy(in, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            long t0 = System.nanoTime();
            Tokenizer srr = Tokenizer.load(json);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.newInstance(json,
                    Map.of("truncation", "false", "padding", "false"))) {
                long tokens = 0;
                for (String doc : corpus) tokens += srr.encodeIds(doc, false).length;
                double srrBest = Double.MAX_VALUE;
                double rustBest = Double.MAX_VALUE;
                for (int round = 0; round < ROUNDS; round++) {
                    srrBest = Math.min(srrBest, time(() -> {
                        for (String doc : corpus) srr.encodeIds(doc, false);
                    }));
                    rustBest = Math.min(rustBest, time(() -> {
                        for (String doc : corpus) rust.encode(doc, false, false).getIds();
                    }));
                }
                System.out.printf("%-7s %,d tokens | srr %6.2f MB/s | Rust (DJL) %6.2f MB/s | srr/Rust %.2fx | srr load %.1f s%n",
                        name, tokens, bytes / 1e6 / srrBest, bytes / 1e6 / rustBest, rustBest / srrBest, loadSeconds);
            }
            Files.deleteIfExists(json);
        }
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Documents of a few KB: English prose, code, CJK, emoji, and random mixed-script text. */
    private static List<String> corpus() {
        RandomText random = new RandomText(42);
        java.util.Random pick = new java.util.Random(42);
        String prose = "The quick brown fox jumps over the lazy dog. I'm sorry, but I can't help with that request; "
                + "here's a safer alternative that you'll find useful. In 2024, 37.5% of 1,024 respondents said ";
        String code = "    def f(x):\n        return x ** 2  # square\n\nfor i in range(10):\n    print(f(i))\n";
        String cjk = "你好，世界！这是一个测试。こんにちは世界、カタカナ。안녕하세요 Привет, мир مرحبا بالعالم ";
        List<String> docs = new ArrayList<>(DOCUMENTS);
        for (int d = 0; d < DOCUMENTS; d++) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < 2000) {
                switch (pick.nextInt(6)) {
                    case 0, 1 -> sb.append(prose).append(pick.nextInt(100000)).append(". ");
                    case 2 -> sb.append(code);
                    case 3 -> sb.append(cjk);
                    default -> sb.append(random.next()).append(' ');
                }
            }
            docs.add(sb.toString());
        }
        return docs;
    }
}
