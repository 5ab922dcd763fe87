package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming decoding, one id at a time, releases exactly the text of a full decode, and never releases part
 * of a character: emoji and Hangul are split over several byte tokens by all three tokenizers.
 */
class StreamingDecoderTest {

    @ParameterizedTest(name = "{0}: streamed text equals the full decode and never splits a character")
    @ValueSource(strings = {"qwen3", "llama3", "llama2"})
    void streamingNeverEmitsHalfACharacter(String name) {
        ModelTokenizer tok = TestTokenizers.get(name);
        List<String> texts = new ArrayList<>();
        for (JsonNode c : TestTokenizers.golden(name).get("cases")) texts.add(c.get("text").asText());
        RandomText random = new RandomText(7);
        for (int i = 0; i < 500; i++) texts.add(random.next());
        int multiByteSplits = 0;
        for (String text : texts) {
            for (boolean skip : new boolean[]{false, true}) {
                int[] ids = tok.encode(text, true);
                String full = tok.decode(ids, skip);
                StreamingDecoder stream = tok.streamingDecoder(skip);
                StringBuilder streamed = new StringBuilder();
                for (int id : ids) {
                    String chunk = stream.push(id);
                    if (!full.contains("\uFFFD")) assertFalse(chunk.contains("\uFFFD"), "half a character released: " + text);
                    assertFalse(!chunk.isEmpty() && Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)),
                            "half a surrogate pair released");
                    if (chunk.isEmpty()) multiByteSplits++;
                    streamed.append(chunk);
                }
                streamed.append(stream.flush());
                assertEquals(full, streamed.toString(), "streamed text of " + DjlOracleTest.quote(text));
            }
        }
        assertTrue(multiByteSplits > 0, "the texts should include characters spread over several tokens");
    }
}
