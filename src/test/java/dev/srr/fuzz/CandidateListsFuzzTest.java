package dev.srr.fuzz;

import dev.srr.rank.ListDataset;
import dev.srr.rank.ListSplit;
import dev.srr.rank.SafetyList;

import java.io.IOException;

/**
 * JSONL candidate lists ({@link ListDataset}): read, summarised, every list's request text and labels taken, and
 * a seeded split made, as srr split, train and eval do.
 */
class CandidateListsFuzzTest {
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
