package dev.srr.tokenizer.jinja;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions a chat template can call without importing anything: Jinja2's range, dict, namespace, cycler
 * and joiner, and transformers' raise_exception and strftime_now.
 */
final class Globals {
    private Globals() {
    }

    static Map<String, Object> create(Clock clock) {
        Map<String, Object> g = new HashMap<>();
        g.put("range", (PyCallable) Globals::range);
        g.put("dict", (PyCallable) (args, kwargs) -> {
            Map<Object, Object> out = new LinkedHashMap<>();
            if (args.size() > 1) throw TemplateException.runtime("dict expected at most 1 argument, got " + args.size());
            if (args.size() == 1) pairs(args.get(0), out);
            out.putAll(kwargs);
            return out;
        });
        g.put("namespace", (PyCallable) (args, kwargs) -> {
            Namespace ns = new Namespace();
            Map<Object, Object> initial = new LinkedHashMap<>();
            if (!args.isEmpty()) pairs(args.get(0), initial);
            initial.putAll(kwargs);
            initial.forEach(ns::set);
            return ns;
        });
        g.put("raise_exception", (PyCallable) (args, kwargs) -> {
            throw new TemplateException(TemplateException.Kind.RAISED, 0, args.isEmpty() ? "" : PyRepr.str(args.get(0)));
        });
        g.put("strftime_now", (PyCallable) (args, kwargs) -> {
            if (args.size() != 1) throw TemplateException.runtime("strftime_now() takes exactly one argument");
            return PyTime.strftime(LocalDateTime.now(clock), PyRepr.str(args.get(0)));
        });
        g.put("cycler", (PyCallable) (args, kwargs) -> cycler(args));
        g.put("joiner", (PyCallable) (args, kwargs) -> joiner(args.isEmpty() ? ", " : PyRepr.str(args.get(0))));
        return g;
    }

    private static void pairs(Object source, Map<Object, Object> out) {
        if (source instanceof Map<?, ?> map) {
            map.forEach(out::put);
            return;
        }
        for (Object pair : PyOps.iterate(source)) {
            List<Object> kv = PyOps.iterate(pair);
            if (kv.size() != 2) throw TemplateException.runtime("dictionary update sequence element has length " + kv.size() + "; 2 is required");
            out.put(kv.get(0), kv.get(1));
        }
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        if (!kwargs.isEmpty()) throw TemplateException.runtime("range() takes no keyword arguments");
        if (args.isEmpty() || args.size() > 3) throw TemplateException.runtime("range expected 1 to 3 arguments, got " + args.size());
        long[] v = new long[args.size()];
        for (int i = 0; i < v.length; i++) {
            Object a = args.get(i);
            if (a instanceof Undefined u) throw u.error();
            if (!PyOps.isInt(a)) throw TemplateException.runtime("'" + PyOps.typeName(a) + "' object cannot be interpreted as an integer");
            v[i] = PyOps.bigInt(a).longValue();
        }
        return v.length == 1 ? new PyRange(0, v[0], 1) : new PyRange(v[0], v[1], v.length == 3 ? v[2] : 1);
    }

    private static Object cycler(List<Object> items) {
        int[] position = {0};
        return new PyCallable() {
            @Override
            public Object call(List<Object> args, Map<String, Object> kwargs) {
                Object item = items.get(position[0] % items.size());
                position[0]++;
                return item;
            }
        };
    }

    private static Object joiner(String separator) {
        boolean[] used = {false};
        return (PyCallable) (args, kwargs) -> {
            if (!used[0]) {
                used[0] = true;
                return "";
            }
            return separator;
        };
    }
}
