package dev.srr.serve;

import dev.srr.engine.TokenTextDecoder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A streamed answer releases text only once it is final: never a stop string's start, never half a character. */
class StreamedTextTest {
    /** Token t decodes to the character t; 0xFFFD stands for an incomplete UTF-8 sequence. */
    static final TokenTextDecoder CHARS = ids -> {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append((char) id);
        return sb.toString();
    };

    @Test
    void aStopStringsStartIsHeldBackAndNeverSentWhenItCompletes() {
        StreamedText t = new StreamedText(CHARS, List.of("END"));
        assertEquals("a", t.add('a'));
        assertEquals("b", t.add('b'));
        assertEquals("", t.add('E'));
        assertEquals("", t.add('N'));
        assertEquals("", t.add('D'));
        assertEquals("", t.rest("ab"), "the finished text ends before the stop string");
    }

    @Test
    void aHeldBackTailIsReleasedWhenItTurnsOutNotToBeAStopString() {
        StreamedText t = new StreamedText(CHARS, List.of("END"));
        assertEquals("ab", t.add('a') + t.add('b'));
        assertEquals("", t.add('E'));
        assertEquals("Ex", t.add('x'));
        assertEquals("!", t.rest("abEx!"));
    }

    @Test
    void anIncompleteCharacterWaitsForItsLastByte() {
        StreamedText t = new StreamedText(ids -> {
            // ids 1, 2 together decode to one character; 1 alone is incomplete
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == 1) sb.append(i + 1 < ids.length && ids[i + 1] == 2 ? "é" : "\uFFFD");
                else if (ids[i] != 2) sb.append((char) ids[i]);
            }
            return sb.toString();
        }, List.of());
        assertEquals("c", t.add('c'));
        assertEquals("", t.add(1));
        assertEquals("é", t.add(2));
    }
}
