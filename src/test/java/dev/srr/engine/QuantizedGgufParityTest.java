package dev.srr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A GGUF mixing Q8_0, Q4_0, Q4_1, Q5_0 and Q5_1 tensors (the golden llama quantized by {@code gguf.quants.quantize},
 * q/k rows permuted, llama3 RoPE as {@code rope_freqs}) against a float64 numpy forward over the same dequantized
 * values, written in llama.cpp's layout ({@code scripts/gen-gguf-references.py}).
 */
class QuantizedGgufParityTest {
    @Test
    void mixedQuantTypesMatchAFloat64Forward() {
        JsonNode ref = Json.read(TestData.goldenModel("llama-tiny-bf16").resolve("reference.json")).get("sequences");
        double worst = 0;
        try (LoadedModel m = LoadedModel.open(TestData.resource("gguf/tiny-llama-quantized.gguf"), "cpu");
             SafetensorsFile expected = SafetensorsFile.open(TestData.resource("gguf/tiny-llama-quantized.reference.safetensors"))) {
            int layers = m.config().numLayers();
            for (String seq : List.of("A", "B")) {
                int[] ids = GoldenParityTest.ids(ref.get(seq).get("input_ids"));
                CaptureRequest all = new CaptureRequest(IntStream.rangeClosed(0, layers).toArray(), new Pooling[]{Pooling.ALL}, false,
                        CaptureRequest.Logits.ALL);
                SequenceOutput out = m.forward().run(List.of(ids), all).getFirst();
                for (int k = 0; k <= layers; k++) {
                    double err = TestData.relativeError(out.hidden(k, Pooling.ALL), expected.get(seq + ".hidden_states." + k).toFloatArray());
                    worst = Math.max(worst, err);
                    assertTrue(err < 1e-5, seq + " hidden_states." + k + ": relative error " + err);
                }
                double err = TestData.relativeError(out.logits(), expected.get(seq + ".logits").toFloatArray());
                worst = Math.max(worst, err);
                assertTrue(err < 1e-5, seq + " logits: relative error " + err);
            }
        }
        System.out.printf("QuantizedGgufParityTest: worst relative error %.2e%n", worst);
    }
}
