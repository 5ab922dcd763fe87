package dev.srr.tokenizer.jinja;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a template. A for loop iteration, a macro call and a with block each
 * get a child scope, so what they set does not leak out (and each loop iteration starts again from the
 * enclosing scope, as in Jinja2); if blocks share their parent's.
 */
final class Scope {
    private final Map<String, Object> variables = new HashMap<>();
    private final Scope parent;
    private final Map<String, Object> globals;

    Scope(Scope parent, Map<String, Object> globals) {
        this.parent = parent;
        this.globals = globals;
    }

    Scope child() {
        return new Scope(this, globals);
    }

    Object get(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.variables.containsKey(name)) return s.variables.get(name);
        }
        if (globals.containsKey(name)) return globals.get(name);
        return Undefined.name(name);
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
