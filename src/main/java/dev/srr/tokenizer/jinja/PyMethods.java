package dev.srr.tokenizer.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes templates reach with a dot: Python's str, dict and list methods (the ones that do not modify
 * anything; the sandbox refuses the others), namespace attributes and the loop object's fields.
 */
final class PyMethods {
    /** Marks an attribute the value does not have. */
    static final Object NOT_FOUND = new Object();

    private static final Set<String> STRING_METHODS = Set.of("strip", "lstrip", "rstrip", "split", "rsplit",
            "splitlines", "startswith", "endswith", "upper", "lower", "title", "capitalize", "swapcase", "casefold",
            "replace", "find", "rfind", "index", "rindex", "count", "join", "format", "isdigit", "isdecimal",
            "isnumeric", "isalpha", "isalnum", "isspace", "isupper", "islower", "istitle", "center", "ljust", "rjust",
            "zfill", "partition", "rpartition", "removeprefix", "removesuffix", "expandtabs");
    private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get", "copy");
    private static final Set<String> DICT_MUTATORS = Set.of("clear", "pop", "popitem", "setdefault", "update");
    private static final Set<String> LIST_METHODS = Set.of("index", "count", "copy");
    private static final Set<String> LIST_MUTATORS = Set.of("append", "extend", "insert", "pop", "remove", "reverse",
            "sort", "clear");

    private PyMethods() {
    }

    /** The attribute, a bound method, an unsafe-attribute Undefined, or NOT_FOUND. */
    static Object attribute(Object obj, String name) {
        if (name.startsWith("__") && name.endsWith("__")) {
            return new Undefined("access to attribute '" + name + "' of '" + PyOps.typeName(obj) + "' object is unsafe.");
        }
        switch (obj) {
            case String s -> {
                if (STRING_METHODS.contains(name)) return bound(name, s, args -> stringMethod(s, name, args));
            }
            case Markup m -> {
                if (STRING_METHODS.contains(name)) return bound(name, m.text(), args -> stringMethod(m.text(), name, args));
            }
            case Map<?, ?> map -> {
                if (DICT_MUTATORS.contains(name)) return unsafe(name, "dict");
                if (DICT_METHODS.contains(name)) return bound(name, map, args -> dictMethod(map, name, args));
            }
            case Filters.Group g -> {
                if (name.equals("grouper")) return g.grouper;
                if (name.equals("list")) return g.list;
            }
            case PyTuple t -> {
                if (name.equals("index") || name.equals("count")) return bound(name, t, args -> listMethod(t.items(), name, args));
            }
            case List<?> list -> {
                if (LIST_MUTATORS.contains(name)) return unsafe(name, PyOps.typeName(obj));
                if (LIST_METHODS.contains(name)) return bound(name, list, args -> listMethod(list, name, args));
            }
            case Namespace ns -> {
                if (ns.attributes.containsKey(name)) return ns.attributes.get(name);
            }
            case LoopContext loop -> {
                return loop.attribute(name);
            }
            case null, default -> {
            }
        }
        return NOT_FOUND;
    }

    private static Undefined unsafe(String name, String type) {
        return new Undefined("access to attribute '" + name + "' of '" + type + "' object is unsafe.");
    }

    /** A method bound to its receiver; keyword arguments are refused, as Python's str methods refuse most. */
    private static PyCallable bound(String name, Object receiver, java.util.function.Function<List<Object>, Object> body) {
        return new PyCallable() {
            @Override
            public Object call(List<Object> args, Map<String, Object> kwargs) {
                if (!kwargs.isEmpty() && !name.equals("format")) {
                    throw TemplateException.runtime(name + "() takes no keyword arguments");
                }
                if (name.equals("format")) return PyFormat.format((String) receiver, args, kwargs);
                for (Object a : args) if (a instanceof Undefined u && !name.equals("get")) throw u.error();
                return body.apply(args);
            }

            @Override
            public String describe() {
                return "built-in method " + name + " of " + PyOps.typeName(receiver) + " object";
            }
        };
    }

    private static void arity(String name, List<Object> args, int min, int max) {
        if (args.size() < min) {
            throw TemplateException.runtime(name + "() takes at least " + min + " argument" + (min == 1 ? "" : "s")
                    + " (" + args.size() + " given)");
        }
        if (args.size() > max) {
            throw TemplateException.runtime(name + "() takes at most " + max + " argument" + (max == 1 ? "" : "s")
                    + " (" + args.size() + " given)");
        }
    }

    private static String str(List<Object> args, int i, String method) {
        if (args.size() <= i || args.get(i) == null) return null;
        Object v = args.get(i);
        if (v instanceof Markup m) return m.text();
        if (!(v instanceof String s)) {
            throw TemplateException.runtime(method + " arg must be None or str, not " + PyOps.typeName(v));
        }
        return s;
    }

    private static String requiredStr(List<Object> args, int i, String method) {
        Object v = args.get(i);
        if (v instanceof Markup m) return m.text();
        if (!(v instanceof String s)) {
            throw TemplateException.runtime(method + "() argument must be str, not " + PyOps.typeName(v));
        }
        return s;
    }

    private static long integer(List<Object> args, int i, long fallback) {
        if (args.size() <= i || args.get(i) == null) return fallback;
        Object v = args.get(i);
        if (!PyOps.isInt(v)) throw TemplateException.runtime("'" + PyOps.typeName(v) + "' object cannot be interpreted as an integer");
        return PyOps.bigInt(v).longValue();
    }

    static Object stringMethod(String s, String name, List<Object> args) {
        switch (name) {
            case "strip", "lstrip", "rstrip" -> {
                arity(name, args, 0, 1);
                return PyStrings.strip(s, str(args, 0, name), !name.equals("rstrip"), !name.equals("lstrip"));
            }
            case "split", "rsplit" -> {
                arity(name, args, 0, 2);
                String sep = str(args, 0, name);
                int max = (int) integer(args, 1, -1);
                return new ArrayList<Object>(name.equals("split") ? PyStrings.split(s, sep, max) : PyStrings.rsplit(s, sep, max));
            }
            case "splitlines" -> {
                arity(name, args, 0, 1);
                return new ArrayList<Object>(PyStrings.splitlines(s, args.size() > 0 && PyOps.truthy(args.get(0))));
            }
            case "startswith", "endswith" -> {
                arity(name, args, 1, 3);
                String within = codePointSlice(s, args, 1);
                if (within == null) return false;
                Object affix = args.get(0);
                List<Object> options = affix instanceof PyTuple t ? t.items() : List.of(affix);
                for (Object o : options) {
                    if (!(o instanceof String a)) {
                        throw TemplateException.runtime(name + " first arg must be str or a tuple of str, not " + PyOps.typeName(o));
                    }
                    if (name.equals("startswith") ? within.startsWith(a) : within.endsWith(a)) return true;
                }
                return false;
            }
            case "upper" -> {
                arity(name, args, 0, 0);
                return PyStrings.upper(s);
            }
            case "lower", "casefold" -> {
                arity(name, args, 0, 0);
                return PyStrings.lower(s);
            }
            case "title" -> {
                arity(name, args, 0, 0);
                return PyStrings.title(s);
            }
            case "capitalize" -> {
                arity(name, args, 0, 0);
                return PyStrings.capitalize(s);
            }
            case "swapcase" -> {
                arity(name, args, 0, 0);
                return PyStrings.swapcase(s);
            }
            case "replace" -> {
                arity(name, args, 2, 3);
                return PyStrings.replace(s, requiredStr(args, 0, name), requiredStr(args, 1, name), integer(args, 2, -1));
            }
            case "find", "rfind", "index", "rindex" -> {
                arity(name, args, 1, 3);
                String sub = requiredStr(args, 0, name);
                int[] cps = s.codePoints().toArray();
                int from = sliceBound(args, 1, cps.length, 0);
                int to = sliceBound(args, 2, cps.length, cps.length);
                String within = from >= to ? "" : new String(cps, from, to - from);
                if (from > cps.length || from > to) return notFound(name);
                int at = name.startsWith("r") ? within.lastIndexOf(sub) : within.indexOf(sub);
                if (at < 0) return notFound(name);
                return (long) (from + within.codePointCount(0, at));
            }
            case "count" -> {
                arity(name, args, 1, 3);
                String within = codePointSlice(s, args, 1);
                String sub = requiredStr(args, 0, name);
                if (within == null) return 0L;
                if (sub.isEmpty()) return (long) within.codePointCount(0, within.length()) + 1;
                long n = 0;
                for (int at = within.indexOf(sub); at >= 0; at = within.indexOf(sub, at + sub.length())) n++;
                return n;
            }
            case "join" -> {
                arity(name, args, 1, 1);
                StringBuilder sb = new StringBuilder();
                List<Object> items = PyOps.iterate(args.get(0));
                for (int i = 0; i < items.size(); i++) {
                    Object o = items.get(i);
                    if (!(o instanceof String) && !(o instanceof Markup)) {
                        throw TemplateException.runtime("sequence item " + i + ": expected str instance, " + PyOps.typeName(o) + " found");
                    }
                    if (i > 0) sb.append(s);
                    sb.append(o);
                    Limits.chars(sb.length());
                }
                return sb.toString();
            }
            case "isdigit", "isdecimal", "isnumeric" -> {
                arity(name, args, 0, 0);
                return !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            }
            case "isalpha" -> {
                arity(name, args, 0, 0);
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            }
            case "isalnum" -> {
                arity(name, args, 0, 0);
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            }
            case "isspace" -> {
                arity(name, args, 0, 0);
                return !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace);
            }
            case "isupper", "islower" -> {
                arity(name, args, 0, 0);
                return PyStrings.allCased(s, name.equals("isupper"));
            }
            case "istitle" -> {
                arity(name, args, 0, 0);
                return !s.isEmpty() && PyStrings.title(s).equals(s) && s.codePoints().anyMatch(PyStrings::isCased);
            }
            case "center", "ljust", "rjust" -> {
                arity(name, args, 1, 2);
                long width = integer(args, 0, 0);
                String fill = args.size() > 1 ? requiredStr(args, 1, name) : " ";
                Limits.chars(width);
                return PyStrings.pad(s, (int) Math.max(0, width), fill, name);
            }
            case "zfill" -> {
                arity(name, args, 1, 1);
                long wide = integer(args, 0, 0);
                Limits.chars(wide);
                int width = (int) Math.max(0, wide);
                int len = s.codePointCount(0, s.length());
                if (len >= width) return s;
                boolean signed = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-');
                return (signed ? s.substring(0, 1) : "") + "0".repeat(width - len) + (signed ? s.substring(1) : s);
            }
            case "partition", "rpartition" -> {
                arity(name, args, 1, 1);
                String sep = requiredStr(args, 0, name);
                if (sep.isEmpty()) throw TemplateException.runtime("empty separator");
                int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (at < 0) return name.equals("partition") ? PyTuple.of(s, "", "") : PyTuple.of("", "", s);
                return PyTuple.of(s.substring(0, at), sep, s.substring(at + sep.length()));
            }
            case "removeprefix" -> {
                arity(name, args, 1, 1);
                String p = requiredStr(args, 0, name);
                return s.startsWith(p) ? s.substring(p.length()) : s;
            }
            case "removesuffix" -> {
                arity(name, args, 1, 1);
                String p = requiredStr(args, 0, name);
                return !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
            }
            case "expandtabs" -> {
                arity(name, args, 0, 1);
                return PyStrings.expandTabs(s, (int) integer(args, 0, 8));
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private static Object notFound(String method) {
        if (method.endsWith("index")) throw TemplateException.runtime("substring not found");
        return -1L;
    }

    private static int sliceBound(List<Object> args, int i, int length, int fallback) {
        if (args.size() <= i || args.get(i) == null) return fallback;
        long v = integer(args, i, fallback);
        if (v < 0) v += length;
        return (int) Math.max(0, Math.min(length + 1L, v));
    }

    /** s[start:end] in code points, from optional arguments at positions i and i+1; null when start is past the end. */
    private static String codePointSlice(String s, List<Object> args, int i) {
        if (args.size() <= i) return s;
        int[] cps = s.codePoints().toArray();
        int from = sliceBound(args, i, cps.length, 0);
        int to = Math.min(sliceBound(args, i + 1, cps.length, cps.length), cps.length);
        if (from > cps.length) return null;
        return from >= to ? "" : new String(cps, from, to - from);
    }

    private static Object dictMethod(Map<?, ?> map, String name, List<Object> args) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = (Map<Object, Object>) map;
        switch (name) {
            case "items", "keys", "values" -> {
                arity(name, args, 0, 0);
                return new PyView(name, m);
            }
            case "get" -> {
                arity(name, args, 1, 2);
                Object key = args.get(0);
                if (m.containsKey(key)) return m.get(key);
                for (Map.Entry<Object, Object> e : m.entrySet()) if (PyOps.equal(e.getKey(), key)) return e.getValue();
                return args.size() > 1 ? args.get(1) : null;
            }
            default -> {
                arity(name, args, 0, 0);
                return new LinkedHashMap<>(m);
            }
        }
    }

    private static Object listMethod(List<?> list, String name, List<Object> args) {
        switch (name) {
            case "index" -> {
                arity(name, args, 1, 3);
                for (int i = 0; i < list.size(); i++) if (PyOps.equal(list.get(i), args.get(0))) return (long) i;
                throw TemplateException.runtime(PyRepr.repr(args.get(0)) + " is not in list");
            }
            case "count" -> {
                arity(name, args, 1, 1);
                long n = 0;
                for (Object o : list) if (PyOps.equal(o, args.get(0))) n++;
                return n;
            }
            default -> {
                arity(name, args, 0, 0);
                return new ArrayList<Object>(list);
            }
        }
    }
}
