package dev.srr;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Locations of the test resources copied from Hugging Face reference outputs. */
public final class TestData {
    public static final List<String> GOLDEN_MODELS = List.of("llama-tiny-bf16", "qwen2-tiny-f16", "qwen3-tiny-bf16", "mistral-tiny-f32");

    private TestData() {
    }

    public static Path resource(String path) {
        try {
            return Path.of(TestData.class.getResource("/" + path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + path, e);
        }
    }

    /**
     * The default real model, SmolLM2-135M-Instruct (Q4_1 GGUF), as {@code scripts/fetch-model} puts it in
     * {@code weights/} ({@code scripts/test} runs that first). A missing file fails the test with how to get it.
     */
    public static Path smolLm2() {
        Path root = Path.of(System.getProperty("user.dir"));
        Path model = root.resolve("weights/SmolLM2-135M-Instruct.Q4_1.gguf");
        if (!java.nio.file.Files.isRegularFile(model)) {
            throw new AssertionError(model + " is missing: run scripts/fetch-model (scripts/test does it first)");
        }
        return model;
    }

    public static Path goldenModel(String name) {
        return resource("golden/models/" + name);
    }

    /** ||a - b|| / ||b||. */
    public static double relativeError(float[] actual, float[] reference) {
        if (actual.length != reference.length) throw new AssertionError("length " + actual.length + " != " + reference.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < actual.length; i++) {
            double diff = (double) actual[i] - reference[i];
            num += diff * diff;
            den += (double) reference[i] * reference[i];
        }
        return Math.sqrt(num) / Math.sqrt(den);
    }
}
