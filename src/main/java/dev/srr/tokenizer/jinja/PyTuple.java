package dev.srr.tokenizer.jinja;

import java.util.Arrays;
import java.util.List;

/** A Python tuple: a sequence like a list that prints with parentheses and compares unequal to lists. */
record PyTuple(List<Object> items) {
    static PyTuple of(Object... items) {
        return new PyTuple(Arrays.asList(items));
    }
}
