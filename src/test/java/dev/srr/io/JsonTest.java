package dev.srr.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.Warnings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What srr makes of JSON that is ambiguous or malformed: duplicate keys, trailing content, empty files, folders. */
class JsonTest {
    @TempDir
    Path dir;

    @Test
    void aDuplicateKeyWarnsAndKeepsTheLastValueLikePython() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"a\": 1,\n \"a\": 2}");
        StringWriter err = new StringWriter();
        JsonNode node;
        try (Warnings.Scope ignored = Warnings.to(new PrintWriter(err))) {
            node = Json.read(file);
        }
        assertEquals(2, node.get("a").asInt());
        assertTrue(err.toString().startsWith("srr: warning: " + file + ": key \"a\" appears twice"), err.toString());
        assertTrue(err.toString().contains("line 2"), err.toString());
    }

    @Test
    void aDuplicateKeyIsAnErrorWhereTheFormatForbidsIt() {
        SrrException e = assertThrows(SrrException.class, () -> Json.parseStrict("{\"t\": {\"x\": 1, \"x\": 2}}", "h.safetensors header"));
        assertTrue(e.getMessage().contains("h.safetensors header") && e.getMessage().contains("\"x\" appears twice"), e.getMessage());
    }

    @Test
    void contentAfterTheValueEmptyInputAndFoldersAreErrors() throws IOException {
        assertTrue(assertThrows(SrrException.class, () -> Json.parse("{\"a\": 1} {\"b\": 2}", "x.json")).getMessage()
                .contains("invalid JSON"));
        assertTrue(assertThrows(SrrException.class, () -> Json.parse("  \n", "x.json")).getMessage().contains("empty"));
        Path folder = Files.createDirectories(dir.resolve("config.json"));
        assertTrue(assertThrows(SrrException.class, () -> Json.read(folder)).getMessage().contains("is a folder"));
        assertTrue(assertThrows(SrrException.class, () -> Json.read(dir.resolve("none.json"))).getMessage().contains("file not found"));
    }

    @Test
    void numbersOutOfRangeAndOfTheWrongKindNameTheField() {
        JsonFields f = JsonFields.of("c.json", Json.parse("{\"n\": 2.0, \"big\": 1e999, \"o\": {\"k\": -1}}", "c.json"));
        assertEquals("c.json: field 'n' must be a positive integer, got number 2.0",
                assertThrows(SrrException.class, () -> f.requiredInt("n", 1, Integer.MAX_VALUE)).getMessage());
        assertTrue(assertThrows(SrrException.class, () -> f.requiredNumber("big", 0, Double.MAX_VALUE)).getMessage()
                .contains("field 'big' must be a non-negative number"));
        assertEquals("c.json: field 'o.k' must be an integer from 0 to 9, got number -1",
                assertThrows(SrrException.class, () -> f.object("o").requiredInt("k", 0, 9)).getMessage());
        assertEquals("c.json: missing field 'gone'", assertThrows(SrrException.class, () -> f.requiredText("gone")).getMessage());
    }
}
