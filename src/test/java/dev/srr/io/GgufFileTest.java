package dev.srr.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.TestData;
import dev.srr.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GGUF reader against files written by llama.cpp's own Python writer ({@code gguf.GGUFWriter}, via
 * {@code scripts/gen-gguf-references.py}) and against hand-made files that lie.
 */
class GgufFileTest {
    @TempDir
    Path tmp;

    @Test
    void everyMetadataValueTypeReadsAsTheGgufPackageReadsIt() {
        JsonNode expected = Json.read(TestData.resource("gguf/blocks-metadata.json"));
        try (GgufFile f = GgufFile.open(TestData.resource("gguf/blocks.gguf"))) {
            GgufMetadata m = f.metadata();
            assertEquals(3, f.version());
            for (String k : List.of("test.u8", "test.i8", "test.u16", "test.i16", "test.u32", "test.i32", "test.u64", "test.i64")) {
                assertEquals(expected.get(k).asLong(), m.longValue(k), k);
            }
            assertEquals((float) expected.get("test.f32").asDouble(), (float) m.number("test.f32"));
            assertEquals(Float.class, m.raw("test.f32").getClass());
            assertEquals(expected.get("test.f64").asDouble(), m.number("test.f64"));
            assertEquals(Double.class, m.raw("test.f64").getClass());
            assertTrue(m.bool("test.bool"));
            assertEquals(expected.get("test.string").asText(), m.string("test.string"));
            assertArrayEquals(new int[]{1, -2, 3}, m.ints("test.array_i32"));
            assertEquals(List.of("a", "", "ü"), m.strings("test.array_str"));
            assertArrayEquals(new float[]{0.5f, -1.25f}, m.floats("test.array_f32"));
            assertEquals(List.of(List.of(1L, 2L), List.of(3L)), m.raw("test.array_nested"));
        }
    }

    @Test
    void versionTwoAndCustomAlignmentAreRead() {
        try (GgufFile f = GgufFile.open(TestData.resource("gguf/tiny-qwen2-tiny-f16.v2-align64.gguf"))) {
            assertEquals(2, f.version());
            assertEquals(64, f.metadata().longValue("general.alignment"));
            GgufTensor embed = f.tensors().get("token_embd.weight");
            assertArrayEquals(new long[]{512, 64}, embed.shape());
            assertEquals(GgmlType.F16, embed.type());
        }
    }

    @Test
    void typeAndShapeAreWrongWhenAskedAsAnotherType() {
        try (GgufFile f = GgufFile.open(TestData.resource("gguf/blocks.gguf"))) {
            SrrException e = assertThrows(SrrException.class, () -> f.metadata().string("test.u32"));
            assertTrue(e.getMessage().contains("blocks.gguf: metadata 'test.u32' must be a string"), e.getMessage());
            e = assertThrows(SrrException.class, () -> f.metadata().intValue("test.u64", 0, Integer.MAX_VALUE));
            assertTrue(e.getMessage().contains("'test.u64' is 4611686018427387909, expected 0 to"), e.getMessage());
            e = assertThrows(SrrException.class, () -> f.metadata().string("nope"));
            assertTrue(e.getMessage().contains("metadata 'nope' is missing"), e.getMessage());
        }
    }

    private static byte[] f32(int n) {
        return new byte[n * 4];
    }

    /** A well-formed file with two F32 tensors of 8 values, then a mutation by the test. */
    private GgufBytes valid() {
        return new GgufBytes().kvString("general.architecture", "llama")
                .tensor("a", new long[]{8}, 0, 0).tensor("b", new long[]{4, 2}, 0, 32).data(f32(16));
    }

    private String error(GgufBytes g) throws IOException {
        Path p = g.write(tmp.resolve("bad.gguf"));
        SrrException e = assertThrows(SrrException.class, () -> GgufFile.open(p).close());
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e.getMessage();
    }

    private static void contains(String message, String part) {
        assertTrue(message.contains(part), "'" + message + "' should contain '" + part + "'");
    }

    @Test
    void wellFormedHandMadeFileOpens() throws IOException {
        Path p = valid().write(tmp.resolve("ok.gguf"));
        try (GgufFile f = GgufFile.open(p)) {
            assertArrayEquals(new long[]{2, 4}, f.tensors().get("b").shape());
            assertEquals(32, f.tensors().get("b").data().byteSize());
        }
    }

    @Test
    void headersThatLieAreRefusedNamingTheField() throws IOException {
        GgufBytes g = valid();
        g.version = 1;
        contains(error(g), "unsupported GGUF version 1");
        g = valid();
        g.version = Integer.reverseBytes(3);
        contains(error(g), "big-endian");
        g = valid();
        g.kvCountOverride = Long.MAX_VALUE;
        contains(error(g), "the metadata count 9223372036854775807 is more than the file can hold");
        g = valid();
        g.tensorCountOverride = -1L;
        contains(error(g), "the tensor count 18446744073709551615 is more than the file can hold");
        contains(error(valid().kv("x", 8, o -> o.u64(1L << 40))), "metadata 'x' has length 1099511627776, more than the file holds");
        contains(error(valid().kv("x", 9, o -> o.u32(8).u64(1L << 50))), "the length of metadata 'x' 1125899906842624 is more than the file can hold");
        contains(error(valid().kv("x", 13, o -> o.u32(0))), "metadata 'x' has unknown value type 13");
        contains(error(valid().kv("x", 7, o -> o.raw(new byte[]{2}))), "metadata 'x' is a bool with byte value 2");
        contains(error(valid().kvString("general.architecture", "qwen2")), "metadata key 'general.architecture' appears twice");
        contains(error(valid().kv("general.alignment", 4, o -> o.u32(48))), "'general.alignment' must be a power of two");
    }

    @Test
    void tensorsThatLieAreRefusedNamingTheTensor() throws IOException {
        contains(error(valid().tensor("a", new long[]{8}, 0, 64)), "tensor 'a' appears twice");
        contains(error(valid().tensor("c", new long[]{1, 1, 1, 1, 1}, 0, 64)), "tensor 'c': 5 dimensions");
        contains(error(valid().tensor("c", new long[]{0, 3}, 0, 64)), "tensor 'c': dimension 0 is 0");
        contains(error(valid().tensor("c", new long[]{1L << 40, 1L << 40}, 0, 64)), "tensor 'c': element count overflows");
        contains(error(valid().tensor("c", new long[]{8}, 99, 64)), "tensor 'c': unknown ggml tensor type id 99");
        contains(error(valid().tensor("c", new long[]{40}, 8, 64)), "tensor 'c': rows of 40 values are not whole Q8_0 blocks of 32");
        contains(error(valid().tensor("c", new long[]{8}, 0, 33)), "tensor 'c': data offset 33 is not a multiple of the alignment 32");
        contains(error(valid().tensor("c", new long[]{8}, 0, 64)), "tensor 'c' data [64, 96) lies outside the file's 64 data bytes");
        contains(error(valid().tensor("c", new long[]{16}, 0, 0)), "tensors 'a' and 'c' overlap");
        String m = error(new GgufBytes().tensor("a", new long[]{8}, 0, 0));
        contains(m, "tensor 'a' data [0, 32) lies outside the file's 0 data bytes");
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        byte[] whole = valid().bytes();
        for (int cut : new int[]{0, 3, 7, 20, 40, whole.length - 70, whole.length - 1}) {
            Path p = tmp.resolve("cut" + cut + ".gguf");
            Files.write(p, Arrays.copyOf(whole, cut));
            SrrException e = assertThrows(SrrException.class, () -> GgufFile.open(p).close(), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
        Path none = tmp.resolve("missing.gguf");
        assertEquals(none + ": file not found", assertThrows(SrrException.class, () -> GgufFile.open(none)).getMessage());
        Path json = tmp.resolve("model.gguf");
        Files.writeString(json, "{\"not\": \"gguf\"}");
        assertEquals(json + ": not a GGUF file (no GGUF magic)", assertThrows(SrrException.class, () -> GgufFile.open(json)).getMessage());
    }
}
