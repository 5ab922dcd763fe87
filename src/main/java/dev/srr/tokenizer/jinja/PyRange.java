package dev.srr.tokenizer.jinja;

import java.util.AbstractList;

/** Python's range(start, stop, step), limited like the sandbox limits it (MAX_RANGE = 100000 items). */
final class PyRange extends AbstractList<Object> {
    static final int MAX_RANGE = 100_000;
    final long start;
    final long stop;
    final long step;
    private final int size;

    PyRange(long start, long stop, long step) {
        if (step == 0) throw TemplateException.runtime("range() arg 3 must not be zero");
        this.start = start;
        this.stop = stop;
        this.step = step;
        long n = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (n > MAX_RANGE) throw TemplateException.runtime("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
        this.size = (int) Math.max(0, n);
    }

    @Override
    public Object get(int index) {
        return start + index * step;
    }

    @Override
    public int size() {
        return size;
    }
}
