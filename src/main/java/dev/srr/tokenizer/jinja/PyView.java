package dev.srr.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** dict.items(), keys() and values(): iterable views that print as dict_items([...]) and so on. */
record PyView(String kind, Map<Object, Object> map) {
    List<Object> items() {
        List<Object> out = new ArrayList<>(map.size());
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            switch (kind) {
                case "items" -> out.add(PyTuple.of(e.getKey(), e.getValue()));
                case "keys" -> out.add(e.getKey());
                default -> out.add(e.getValue());
            }
        }
        return out;
    }

    String pythonType() {
        return "dict_" + kind;
    }
}
