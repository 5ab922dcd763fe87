package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.data.ListDataset;
import dev.srr.data.ListSplit;
import dev.srr.data.SafetyList;

import java.io.IOException;

/**
 * JSONL candidate lists ({@link ListDataset}): read, summarised, every list's request text and labels taken, and
 * a seeded split made, as srr split, train and eval do.
 */
class CandidateListsFuzzTest {
    @DictionaryEntries({
            "\"id\"", "\"prompt\"", "\"messages\"", "\"role\"", "\"content\"", "\"candidates\"", "\"text\"",
            "\"label\"", "\"harm\"", "\"safe\"", "\"unsafe\"", "\"attack_prompt\"", "\"prompt_label\"", "\"source\"",
            "0", "-1", "1e-300", "1e-45", "1e308", "1e999", "2147483647", "2147483648", "4294967296",
            "9223372036854775807", "18446744073709551616", "-0.0", "0.5", "null", "true", "[]", "{}"})
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, "lists.jsonl", () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        ListDataset d = ListDataset.read(ReaderProperty.file("lists.jsonl", data));
        ReaderProperty.mustSucceed(() -> {
            d.summary().toString();
            for (SafetyList l : d.lists()) {
                l.requestText();
                l.safeLabels();
                l.promptLabel();
            }
            ListSplit.split(d.lists(), 0.15, 0.3, 7, ListSplit.SharedPrompts.NONE);
        });
    }
}
