package dev.srr.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition processed lazily, {@code size} inputs at a time: each batch's outputs are produced when the consumer
 * reaches them, so a partition of any length needs the memory of one batch.
 */
final class Batched<I, O> implements Iterator<O> {
    private final Iterator<I> in;
    private final int size;
    private final Function<List<I>, List<O>> process;
    private Iterator<O> current = Collections.emptyIterator();

    Batched(Iterator<I> in, int size, Function<List<I>, List<O>> process) {
        this.in = in;
        this.size = size;
        this.process = process;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && in.hasNext()) {
            List<I> batch = new ArrayList<>(size);
            while (batch.size() < size && in.hasNext()) batch.add(in.next());
            current = process.apply(batch).iterator();
        }
        return current.hasNext();
    }

    @Override
    public O next() {
        if (!hasNext()) throw new NoSuchElementException();
        return current.next();
    }
}
