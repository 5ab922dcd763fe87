package dev.srr.cli;

import dev.srr.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults found by trying srr as its users would (the smallest inputs, copied from the shared bug folders
 * into src/test/resources/bugs): each README's right result, as a test. The kinds of fault these stand for are
 * covered more widely by BadInputMatrixTest, the reader tests and the fuzz targets.
 */
class ReportedBugsTest {
    @TempDir
    Path dir;

    private static String bug(String name) {
        return TestData.resource("bugs/" + name).toString();
    }

    @Test
    void safetensorsHeaderNamingATensorTwiceIsRefused() {
        Path out = dir.resolve("dup.safetensors");
        CliRunner.run("hidden", bug("05-safetensors-duplicate-name"), "--ids", "1,2,3", "--layers", "1", "--out", out.toString())
                .assertUserError("model.safetensors", "model.norm.weight", "twice");
        assertFalse(Files.exists(out), "no output written");
        CliRunner.run("info", bug("05-safetensors-duplicate-name")).assertUserError("model.safetensors", "model.norm.weight");
    }

    @Test
    void shapeWhoseElementCountOverflowsIsAUserError() {
        CliRunner.run("info", bug("21-safetensors-shape-overflow"))
                .assertUserError("model.safetensors", "extra.t", "too large");
    }

    @Test
    void largestVocabularyIdTokenizes() {
        CliRunner r = CliRunner.run("tokenize", bug("22-tokenizer-huge-vocab-id"), "--text", "ab");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("2147483647", r.out().strip());
        CliRunner back = CliRunner.run("detokenize", bug("22-tokenizer-huge-vocab-id"), "--ids", "2147483647,0");
        assertEquals(0, back.exitCode(), back.err());
        assertEquals("ab a", back.out().strip());
    }

    @Test
    void largeSparseVocabularyIdAllocatesNoArrayOfItsSize() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        String json = Files.readString(TestData.resource("bugs/22-tokenizer-huge-vocab-id/tokenizer.json"));
        Files.writeString(file, json.replace("2147483647", "1500000000"));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        CliRunner r = CliRunner.run("tokenize", file.toString(), "--text", "abab");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("1500000000,1500000000", r.out().strip());
        // an array indexed by id would take 6 GB; the whole command needs a few megabytes
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void zeroAttentionHeadsIsAUserError() {
        CliRunner.run("info", bug("23-config-zero-heads")).assertUserError("config.json", "num_attention_heads");
    }

    @Test
    void zeroKeyValueHeadsIsAUserError() {
        CliRunner.run("info", bug("23-config-zero-heads") + "/kv").assertUserError("config.json", "num_key_value_heads");
    }
}
