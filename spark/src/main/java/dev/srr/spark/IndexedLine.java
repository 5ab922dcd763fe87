package dev.srr.spark;

import dev.srr.data.ListDataset;
import dev.srr.data.SafetyList;

import java.io.Serializable;

/**
 * One non-blank line of an input JSONL file with its place in the input: {@code index} counts lines from 0 over the
 * whole input (files in name order, as Hadoop lists them), so sorting by it restores the input order. A plain class,
 * not a record (see {@link JobSettings}).
 */
public final class IndexedLine implements Serializable {
    private static final long serialVersionUID = 1L;

    public final long index;
    public final String text;

    public IndexedLine(long index, String text) {
        this.index = index;
        this.text = text;
    }

    /**
     * The line parsed as a list; errors name {@code input} and the line number (index + 1).
     *
     * @throws dev.srr.SrrException when the line is not a list
     */
    public SafetyList parse(String input) {
        return ListDataset.parse(text, input, (int) Math.min(Integer.MAX_VALUE, index + 1));
    }
}
