package dev.srr.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Attribute and item access as Jinja2's sandbox does it: obj.name looks for an attribute (a method) first and
 * then an item; obj[key] an item first and then an attribute. What is missing is Undefined; an unsafe
 * attribute (a list's append, anything named __x__) is an Undefined whose use raises a security error.
 */
final class Access {
    private Access() {
    }

    static Object attribute(Object obj, String name) {
        if (obj instanceof Undefined u) throw u.error();
        Object attr = PyMethods.attribute(obj, name);
        if (attr != PyMethods.NOT_FOUND) return attr;
        if (obj instanceof Map<?, ?> map && map.containsKey(name)) return map.get(name);
        return missingAttribute(obj, name);
    }

    static Object item(Object obj, Object key) {
        if (obj instanceof Undefined u) throw u.error();
        switch (obj) {
            case null -> {
            }
            case Map<?, ?> map -> {
                Object found = lookup(map, key);
                if (found != PyMethods.NOT_FOUND) return found;
            }
            case String s when PyOps.isInt(key) -> {
                int[] cps = s.codePoints().toArray();
                int i = index(key, cps.length);
                return i < 0 ? new Undefined("string index out of range") : new String(cps, i, 1);
            }
            case Markup m when PyOps.isInt(key) -> {
                return item(m.text(), key);
            }
            case PyTuple t when PyOps.isInt(key) -> {
                int i = index(key, t.items().size());
                return i < 0 ? new Undefined(objectTypeRepr(obj) + " has no element " + key) : t.items().get(i);
            }
            case List<?> list when PyOps.isInt(key) -> {
                int i = index(key, list.size());
                return i < 0 ? new Undefined(objectTypeRepr(obj) + " has no element " + key) : list.get(i);
            }
            default -> {
            }
        }
        if (key instanceof String name) {
            Object attr = PyMethods.attribute(obj, name);
            if (attr != PyMethods.NOT_FOUND) return attr;
            return missingAttribute(obj, name);
        }
        return new Undefined(objectTypeRepr(obj) + " has no element " + PyRepr.repr(key));
    }

    /** A dict lookup with Python's key equality (1, 1.0 and True are the same key). */
    private static Object lookup(Map<?, ?> map, Object key) {
        if (map.containsKey(key)) return map.get(key);
        if (key != null && !(key instanceof String)) {
            for (Map.Entry<?, ?> e : map.entrySet()) if (PyOps.equal(e.getKey(), key)) return e.getValue();
        }
        return PyMethods.NOT_FOUND;
    }

    /** The position a Python index names in a sequence of this size, or -1 when out of range. */
    private static int index(Object key, int size) {
        long i = PyOps.bigInt(key).longValue();
        if (PyOps.bigInt(key).bitLength() > 62) return -1;
        if (i < 0) i += size;
        return i < 0 || i >= size ? -1 : (int) i;
    }

    private static Undefined missingAttribute(Object obj, String name) {
        return new Undefined("'" + objectTypeRepr(obj) + "' has no attribute '" + name + "'");
    }

    /** How Jinja2's Undefined names the object it came from (jinja2.utils.object_type_repr): None, or "list object". */
    private static String objectTypeRepr(Object obj) {
        return obj == null ? "None" : PyOps.typeName(obj) + " object";
    }

    /** obj[start:stop:step] for strings, lists and tuples. */
    static Object slice(Object obj, Object start, Object stop, Object step) {
        if (obj instanceof Undefined u) throw u.error();
        long st = step == null ? 1 : checkedIndex(step);
        if (st == 0) throw TemplateException.runtime("slice step cannot be zero");
        List<Object> items;
        if (obj instanceof String || obj instanceof Markup) items = PyOps.iterate(obj);
        else if (obj instanceof PyTuple t) items = t.items();
        else if (obj instanceof List<?> l) items = new ArrayList<>(l);
        else return new Undefined(objectTypeRepr(obj) + " has no element slice");
        int n = items.size();
        long lo;
        long hi;
        if (st > 0) {
            lo = start == null ? 0 : clamp(checkedIndex(start), n, 0, n);
            hi = stop == null ? n : clamp(checkedIndex(stop), n, 0, n);
        } else {
            lo = start == null ? n - 1 : clamp(checkedIndex(start), n, -1, n - 1);
            hi = stop == null ? -1 : clamp(checkedIndex(stop), n, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = lo; st > 0 ? i < hi : i > hi; i += st) out.add(items.get((int) i));
        if (obj instanceof String || obj instanceof Markup) {
            StringBuilder sb = new StringBuilder();
            out.forEach(sb::append);
            return obj instanceof Markup ? new Markup(sb.toString()) : sb.toString();
        }
        return obj instanceof PyTuple ? new PyTuple(out) : out;
    }

    private static long checkedIndex(Object v) {
        if (v instanceof Undefined u) throw u.error();
        if (!PyOps.isInt(v)) throw TemplateException.runtime("slice indices must be integers or None or have an __index__ method");
        return PyOps.bigInt(v).max(java.math.BigInteger.valueOf(Long.MIN_VALUE / 2)).min(java.math.BigInteger.valueOf(Long.MAX_VALUE / 2)).longValue();
    }

    private static long clamp(long i, int n, long low, long high) {
        if (i < 0) i += n;
        return Math.max(low, Math.min(high, i));
    }

    /** The value at a dotted path of attributes and items ("function.name", "items.0"), as filters look it up. */
    static Object path(Object obj, String path) {
        for (String part : path.split("\\.", -1)) {
            Object key = part;
            if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) key = Long.parseLong(part);
            obj = item(obj, key);
        }
        return obj;
    }
}
