package dev.srr.tokenizer.jinja;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Binds a filter's or function's arguments to its Python signature (names with defaults), like Python does. */
final class Params {
    private final Map<String, Object> values = new HashMap<>();

    private Params() {
    }

    /** signature: name1, default1, name2, default2, ...; REQUIRED marks a parameter without a default. */
    static Params bind(String function, List<Object> args, Map<String, Object> kwargs, Object... signature) {
        Params p = new Params();
        int n = signature.length / 2;
        if (args.size() > n) {
            throw TemplateException.runtime(function + "() takes " + n + " positional arguments but " + args.size() + " were given");
        }
        for (int i = 0; i < n; i++) {
            String name = (String) signature[2 * i];
            if (i < args.size()) {
                if (kwargs.containsKey(name)) throw TemplateException.runtime(function + "() got multiple values for argument '" + name + "'");
                p.values.put(name, args.get(i));
            } else if (kwargs.containsKey(name)) {
                p.values.put(name, kwargs.get(name));
            } else if (signature[2 * i + 1] == REQUIRED) {
                throw TemplateException.runtime(function + "() missing required argument: '" + name + "'");
            } else {
                p.values.put(name, signature[2 * i + 1]);
            }
        }
        for (String k : kwargs.keySet()) {
            boolean known = false;
            for (int i = 0; i < n; i++) known |= signature[2 * i].equals(k);
            if (!known) throw TemplateException.runtime(function + "() got an unexpected keyword argument '" + k + "'");
        }
        return p;
    }

    static final Object REQUIRED = new Object();

    Object get(String name) {
        return values.get(name);
    }

    boolean truthy(String name) {
        return PyOps.truthy(values.get(name));
    }

    String string(String name) {
        Object v = values.get(name);
        return v == null ? null : PyRepr.str(v);
    }

    long integer(String name) {
        Object v = values.get(name);
        if (!PyOps.isInt(v)) throw TemplateException.runtime("'" + PyOps.typeName(v) + "' object cannot be interpreted as an integer");
        return PyOps.bigInt(v).longValue();
    }
}
