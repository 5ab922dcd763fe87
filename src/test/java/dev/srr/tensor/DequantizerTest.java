package dev.srr.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.io.GgufFile;
import dev.srr.io.GgufTensor;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dequantization is bit-exact against llama.cpp's Python package ({@code gguf.quants.dequantize}): on random
 * blocks of every supported type (scales of every magnitude, zero and subnormal included) and on every tensor
 * of the real SmolLM2 checkpoint.
 */
class DequantizerTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void randomBlocksDequantizeBitForBitAsTheGgufPackage(GgmlType type) {
        try (GgufFile f = GgufFile.open(TestData.resource("gguf/blocks.gguf"))) {
            GgufTensor blocks = f.tensors().get(type + ".blocks");
            GgufTensor values = f.tensors().get(type + ".values");
            assertEquals(type, blocks.type());
            int n = Math.toIntExact(blocks.size());
            float[] out = new float[n];
            Dequantizer.dequantize(type, blocks.data().toArray(ValueLayout.JAVA_BYTE), 0, out, 0, n);
            float[] expected = values.data().toArray(Tensor.F32_LE);
            int mismatches = 0;
            for (int i = 0; i < n; i++) if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(expected[i])) mismatches++;
            assertEquals(0, mismatches, type + ": values differing in their bits, of " + n);
            assertTrue(Dequantizer.handles(type));
        }
    }

    @Test
    void everySmolLm2TensorDequantizesToTheGgufPackagesBits() throws Exception {
        JsonNode expected = Json.read(TestData.resource("gguf/smollm2-dequant.json")).get("sha256");
        int checked = 0;
        try (GgufFile f = GgufFile.open(TestData.smolLm2())) {
            assertEquals(expected.size(), f.tensors().size());
            for (GgufTensor t : f.tensors().values()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                int cols = Math.toIntExact(t.rowLength());
                long rows = t.size() / cols;
                int rowBytes = cols / t.type().blockSize * t.type().blockBytes;
                float[] row = new float[cols];
                ByteBuffer le = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (long r = 0; r < rows; r++) {
                    byte[] src = t.data().asSlice(r * rowBytes, rowBytes).toArray(ValueLayout.JAVA_BYTE);
                    if (t.type() == GgmlType.F32) ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(row);
                    else Dequantizer.dequantize(t.type(), src, 0, row, 0, cols);
                    le.clear();
                    le.asFloatBuffer().put(row);
                    sha.update(le.array());
                }
                assertEquals(expected.get(t.name()).asText(), HexFormat.of().formatHex(sha.digest()), t.name() + " (" + t.type() + ")");
                checked++;
            }
        }
        System.out.println("DequantizerTest: " + checked + " SmolLM2 tensors bit-identical to gguf.quants.dequantize");
    }
}
