package dev.srr.io;

import dev.srr.SrrException;
import dev.srr.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors rules srr shares with the reference loader, each shown on the smallest file that breaks it. */
class SafetensorsFileTest {
    @TempDir
    Path dir;

    /** A file with {@code header} (JSON text) and {@code dataBytes} zero bytes of data. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = dir.resolve("t.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private String refused(String header, int dataBytes) throws IOException {
        Path f = file(header, dataBytes);
        String m = assertThrows(SrrException.class, () -> SafetensorsFile.open(f).close()).getMessage();
        assertTrue(m.startsWith(f.toString()), m);
        return m;
    }

    @Test
    void aWellFormedFileOpens() throws IOException {
        Path f = file("{\"__metadata__\": {\"format\": \"pt\"}, \"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"e\": {\"dtype\": \"BF16\", \"shape\": [0, 3], \"data_offsets\": [8, 8]}}", 8);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertEquals(2, s.tensors().size());
            assertEquals(DType.BF16, s.get("e").dtype());
            assertEquals("pt", s.metadata().get("format"));
        }
    }

    @Test
    void bytesThatBelongToNoTensorAreRefused() throws IOException {
        assertTrue(refused("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8).contains("[0, 4) belong to no tensor"));
        assertTrue(refused("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 8).contains("last 4 data bytes"));
    }

    @Test
    void aRepeatedNameIsRefused() throws IOException {
        String t = "\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}";
        assertTrue(refused("{" + t + ", " + t + "}", 4).contains("\"a\" appears twice"));
    }

    @Test
    void anElementCountBeyondAnyFileIsRefused() throws IOException {
        String m = refused("{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4], \"data_offsets\": [0, 4]}}", 4);
        assertTrue(m.contains("'a'") && m.contains("too large"), m);
        // a zero dimension makes any other dimension harmless
        Path ok = file("{\"a\": {\"dtype\": \"F32\", \"shape\": [0, 9223372036854775807], \"data_offsets\": [0, 0]}}", 0);
        SafetensorsFile.open(ok).close();
    }

    @Test
    void offsetsBeyondALongAndNegativeOnesAreRefused() throws IOException {
        assertTrue(refused("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 18446744073709551620]}}", 4)
                .contains("data_offsets"));
        assertTrue(refused("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4).contains("shape"));
    }

    @Test
    void headersThatAreNotUtf8JsonObjectsOrHaveOtherMetadataAreRefused() throws IOException {
        assertTrue(refused("[1, 2]", 0).contains("'{'"));
        assertTrue(refused("{\"__metadata__\": {\"n\": 1}}", 0).contains("'n' must be a string"));
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, new byte[]{3, 0, 0, 0, 0, 0, 0, 0, '{', (byte) 0xC3, '}'});
        assertTrue(assertThrows(SrrException.class, () -> SafetensorsFile.open(f)).getMessage().contains("UTF-8"));
    }

    @Test
    void aFolderIsNotAFile() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("model.safetensors"));
        assertTrue(assertThrows(SrrException.class, () -> SafetensorsFile.open(folder)).getMessage().contains("is a folder"));
    }
}
