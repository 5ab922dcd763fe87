package dev.srr.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-pass iterator, as Jinja2's map, select, reject, selectattr, rejectattr, batch and slice filters return
 * (generators) and reverse returns for lists: iterating it again finds it empty, it has no len(), json.dumps
 * refuses it, and it prints as an object, not as a list.
 */
final class PyIterator {
    private final List<Object> items;
    private final String pythonType;
    private int position;

    PyIterator(List<Object> items, String pythonType) {
        this.items = items;
        this.pythonType = pythonType;
    }

    static PyIterator generator(List<Object> items) {
        return new PyIterator(items, "generator");
    }

    String pythonType() {
        return pythonType;
    }

    /** The items not yet consumed, consuming them. */
    List<Object> drain() {
        List<Object> rest = new ArrayList<>(items.subList(position, items.size()));
        position = items.size();
        return rest;
    }

    /** The next item, or null with hasNext() false. */
    boolean hasNext() {
        return position < items.size();
    }

    Object next() {
        return items.get(position++);
    }
}
