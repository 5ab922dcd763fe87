package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tokenizer.json component srr does not implement is refused with a message naming the type and file. */
class UnsupportedComponentTest {
    @TempDir
    Path tmp;

    private Path withComponent(String field, String json) throws IOException {
        ObjectNode root;
        try (InputStream in = new GZIPInputStream(
                Files.newInputStream(TestTokenizers.folder("llama2").resolve("tokenizer.json.gz")))) {
            root = (ObjectNode) Json.MAPPER.readTree(in);
        }
        root.set(field, Json.parse(json, "test"));
        Path file = tmp.resolve("tokenizer.json");
        Files.writeString(file, Json.write(root));
        return file;
    }

    @Test
    void unknownNormalizerTypeIsRefusedNamingTypeAndFile() throws IOException {
        Path file = withComponent("normalizer", "{\"type\": \"Precompiled\", \"precompiled_charsmap\": \"\"}");
        SrrException e = assertThrows(SrrException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().contains("Precompiled") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void unknownTypeInsideASequenceIsRefused() throws IOException {
        Path file = withComponent("pre_tokenizer",
                "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"UnicodeScripts\"}]}");
        SrrException e = assertThrows(SrrException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().contains("UnicodeScripts") && e.getMessage().contains("pretokenizers[0]"),
                e.getMessage());
    }

    @Test
    void unknownModelAndDecoderTypesAreRefused() throws IOException {
        Path decoder = withComponent("decoder", "{\"type\": \"CTC\"}");
        assertTrue(assertThrows(SrrException.class, () -> Tokenizer.load(decoder)).getMessage().contains("CTC"));
        Path model = withComponent("model", "{\"type\": \"Unigram\", \"vocab\": []}");
        assertTrue(assertThrows(SrrException.class, () -> Tokenizer.load(model)).getMessage().contains("Unigram"));
        Path processor = withComponent("post_processor", "{\"type\": \"BertProcessing\"}");
        assertTrue(assertThrows(SrrException.class, () -> Tokenizer.load(processor)).getMessage()
                .contains("BertProcessing"));
    }
}
