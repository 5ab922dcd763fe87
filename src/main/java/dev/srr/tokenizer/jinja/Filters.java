package dev.srr.tokenizer.jinja;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2's built-in filters with their Jinja2 3.1 semantics, plus transformers' tojson (Python's json.dumps).
 * The values in and out are the interpreter's Python-like values.
 */
final class Filters {
    private static final Set<String> NAMES = Set.of("abs", "attr", "batch", "capitalize", "center", "count", "d",
            "default", "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby",
            "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint",
            "random", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice",
            "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper",
            "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr");
    private static final Pattern TITLE_SPLIT = Pattern.compile("([-\\s({\\[<]+)");

    private Filters() {
    }

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static Object apply(String name, Object value, List<Object> args, Map<String, Object> kwargs) {
        if (!exists(name)) throw TemplateException.runtime("No filter named '" + name + "' found.");
        switch (name) {
            case "abs" -> {
                Params.bind(name, args, kwargs);
                if (value instanceof Undefined u) throw u.error();
                if (value instanceof Double d) return Math.abs(d);
                if (PyOps.isInt(value)) return PyOps.normalize(PyOps.bigInt(value).abs());
                throw TemplateException.runtime("bad operand type for abs(): '" + PyOps.typeName(value) + "'");
            }
            case "attr" -> {
                Params p = Params.bind(name, args, kwargs, "name", Params.REQUIRED);
                Object attr = PyMethods.attribute(value, p.string("name"));
                return attr == PyMethods.NOT_FOUND ? new Undefined("no attribute " + p.string("name")) : attr;
            }
            case "batch" -> {
                Params p = Params.bind(name, args, kwargs, "linecount", Params.REQUIRED, "fill_with", null);
                long size = p.integer("linecount");
                List<Object> out = new ArrayList<>();
                List<Object> batch = new ArrayList<>();
                for (Object item : PyOps.iterate(value)) {
                    if (batch.size() == size) {
                        out.add(batch);
                        batch = new ArrayList<>();
                    }
                    batch.add(item);
                }
                if (!batch.isEmpty()) {
                    if (p.get("fill_with") != null) while (batch.size() < size) batch.add(p.get("fill_with"));
                    out.add(batch);
                }
                return PyIterator.generator(out);
            }
            case "capitalize" -> {
                Params.bind(name, args, kwargs);
                return PyStrings.capitalize(PyRepr.str(value));
            }
            case "center" -> {
                Params p = Params.bind(name, args, kwargs, "width", 80L);
                Limits.chars(p.integer("width"));
                return PyStrings.pad(PyRepr.str(value), (int) Math.max(0, p.integer("width")), " ", "center");
            }
            case "count", "length" -> {
                Params.bind(name, args, kwargs);
                return (long) PyOps.len(value);
            }
            case "d", "default" -> {
                Params p = Params.bind(name, args, kwargs, "default_value", "", "boolean", false);
                if (value instanceof Undefined || (p.truthy("boolean") && !PyOps.truthy(value))) return p.get("default_value");
                return value;
            }
            case "dictsort" -> {
                Params p = Params.bind(name, args, kwargs, "case_sensitive", false, "by", "key", "reverse", false);
                if (value instanceof Undefined u) throw u.error();
                if (!(value instanceof Map<?, ?> map)) throw TemplateException.runtime("'" + PyOps.typeName(value) + "' object has no attribute 'items'");
                int position = switch (p.string("by")) {
                    case "key" -> 0;
                    case "value" -> 1;
                    default -> throw TemplateException.runtime("You can only sort by either 'key' or 'value'");
                };
                boolean caseSensitive = p.truthy("case_sensitive");
                List<Object> items = new ArrayList<>();
                map.forEach((k, v) -> items.add(PyTuple.of(k, v)));
                return sorted(items, item -> ignoreCase(((PyTuple) item).items().get(position), caseSensitive), p.truthy("reverse"));
            }
            case "e", "escape", "forceescape" -> {
                Params.bind(name, args, kwargs);
                if (value instanceof Markup m && !name.equals("forceescape")) return m;
                return new Markup(Markup.escape(PyRepr.str(value)));
            }
            case "first" -> {
                Params.bind(name, args, kwargs);
                if (value instanceof PyIterator it) return it.hasNext() ? it.next() : new Undefined("No first item, sequence was empty.");
                List<Object> items = PyOps.iterate(value);
                return items.isEmpty() ? new Undefined("No first item, sequence was empty.") : items.get(0);
            }
            case "last" -> {
                Params.bind(name, args, kwargs);
                if (value instanceof PyIterator it) throw TemplateException.runtime("'" + it.pythonType() + "' object is not reversible");
                List<Object> items = PyOps.iterate(value);
                return items.isEmpty() ? new Undefined("No last item, sequence was empty.") : items.get(items.size() - 1);
            }
            case "float" -> {
                Params p = Params.bind(name, args, kwargs, "default", 0.0);
                if (value instanceof Undefined u) throw u.error();
                Double d = PyNumbers.toFloat(value);
                return d == null ? p.get("default") : d;
            }
            case "int" -> {
                Params p = Params.bind(name, args, kwargs, "default", 0L, "base", 10L);
                if (value instanceof Undefined u) throw u.error();
                Object i = PyNumbers.toInt(value, (int) p.integer("base"));
                return i == null ? p.get("default") : i;
            }
            case "format" -> {
                if (!args.isEmpty() && !kwargs.isEmpty()) {
                    throw TemplateException.runtime("can't handle positional and keyword arguments at the same time");
                }
                Object operand = !kwargs.isEmpty() ? new LinkedHashMap<Object, Object>(kwargs) : new PyTuple(args);
                return PyFormat.percent(PyRepr.str(value), operand);
            }
            case "groupby" -> {
                Params p = Params.bind(name, args, kwargs, "attribute", Params.REQUIRED, "default", null, "case_sensitive", false);
                return groupby(value, p);
            }
            case "indent" -> {
                Params p = Params.bind(name, args, kwargs, "width", 4L, "first", false, "blank", false);
                return indent(PyRepr.str(value), p);
            }
            case "items" -> {
                Params.bind(name, args, kwargs);
                if (value instanceof Undefined) return PyIterator.generator(new ArrayList<>());
                if (!(value instanceof Map<?, ?> map)) throw TemplateException.runtime("Can only get item pairs from a mapping.");
                List<Object> out = new ArrayList<>();
                map.forEach((k, v) -> out.add(PyTuple.of(k, v)));
                return new PyIterator(out, "dict_itemiterator");
            }
            case "join" -> {
                Params p = Params.bind(name, args, kwargs, "d", "", "attribute", null);
                List<Object> items = PyOps.iterate(value);
                StringBuilder sb = new StringBuilder();
                String separator = PyRepr.str(p.get("d"));
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) sb.append(separator);
                    Object item = p.get("attribute") == null ? items.get(i) : attribute(items.get(i), p.get("attribute"), null, false);
                    sb.append(PyRepr.str(item));
                    Limits.chars(sb.length());
                }
                return sb.toString();
            }
            case "list" -> {
                Params.bind(name, args, kwargs);
                return new ArrayList<>(PyOps.iterate(value));
            }
            case "lower" -> {
                Params.bind(name, args, kwargs);
                return PyStrings.lower(PyRepr.str(value));
            }
            case "upper" -> {
                Params.bind(name, args, kwargs);
                return PyStrings.upper(PyRepr.str(value));
            }
            case "map" -> {
                return map(value, args, kwargs);
            }
            case "max", "min" -> {
                Params p = Params.bind(name, args, kwargs, "case_sensitive", false, "attribute", null);
                List<Object> items = PyOps.iterate(value);
                if (items.isEmpty()) return new Undefined("No aggregated item, sequence was empty.");
                boolean caseSensitive = p.truthy("case_sensitive");
                Object best = items.get(0);
                Object bestKey = ignoreCase(attribute(best, p.get("attribute"), null, true), caseSensitive);
                for (Object item : items.subList(1, items.size())) {
                    Object key = ignoreCase(attribute(item, p.get("attribute"), null, true), caseSensitive);
                    int c = PyOps.compare(key, bestKey, "lt");
                    if (name.equals("max") ? c > 0 : c < 0) {
                        best = item;
                        bestKey = key;
                    }
                }
                return best;
            }
            case "pprint" -> {
                Params.bind(name, args, kwargs);
                return PyRepr.repr(sortedDicts(value));
            }
            case "select", "reject" -> {
                return select(value, args, kwargs, name.equals("select"), false);
            }
            case "selectattr", "rejectattr" -> {
                return select(value, args, kwargs, name.equals("selectattr"), true);
            }
            case "replace" -> {
                Params p = Params.bind(name, args, kwargs, "old", Params.REQUIRED, "new", Params.REQUIRED, "count", null);
                long count = p.get("count") == null ? -1 : p.integer("count");
                return PyStrings.replace(PyRepr.str(value), PyRepr.str(p.get("old")), PyRepr.str(p.get("new")), count);
            }
            case "reverse" -> {
                Params.bind(name, args, kwargs);
                if (value instanceof String s) return PyRepr.str(Access.slice(s, null, null, -1L));
                boolean reversible = value instanceof List<?> || value instanceof PyTuple || value instanceof Map<?, ?> || value instanceof PyView;
                List<Object> items = new ArrayList<>(PyOps.iterate(value));
                java.util.Collections.reverse(items);
                // reversed() gives an iterator for what Python can reverse; anything else becomes a list.
                return reversible ? new PyIterator(items, PyOps.typeName(value) + "_reverseiterator") : items;
            }
            case "round" -> {
                Params p = Params.bind(name, args, kwargs, "precision", 0L, "method", "common");
                return PyNumbers.round(value, (int) p.integer("precision"), p.string("method"));
            }
            case "safe" -> {
                Params.bind(name, args, kwargs);
                return value instanceof Markup ? value : new Markup(PyRepr.str(value));
            }
            case "slice" -> {
                Params p = Params.bind(name, args, kwargs, "slices", Params.REQUIRED, "fill_with", null);
                return PyIterator.generator(slices(PyOps.iterate(value), (int) p.integer("slices"), p.get("fill_with")));
            }
            case "sort" -> {
                Params p = Params.bind(name, args, kwargs, "reverse", false, "case_sensitive", false, "attribute", null);
                boolean caseSensitive = p.truthy("case_sensitive");
                return sorted(PyOps.iterate(value), item -> ignoreCase(attribute(item, p.get("attribute"), null, true), caseSensitive),
                        p.truthy("reverse"));
            }
            case "string" -> {
                Params.bind(name, args, kwargs);
                return value instanceof Markup ? value : PyRepr.str(value);
            }
            case "striptags" -> {
                Params.bind(name, args, kwargs);
                String s = PyRepr.str(value).replaceAll("(?s)<!--.*?-->", "").replaceAll("(?s)<.*?>", "");
                return unescapeEntities(String.join(" ", PyStrings.split(s, null, -1)));
            }
            case "sum" -> {
                Params p = Params.bind(name, args, kwargs, "attribute", null, "start", 0L);
                Object total = p.get("start");
                for (Object item : PyOps.iterate(value)) total = PyOps.add(total, attribute(item, p.get("attribute"), null, true));
                return total;
            }
            case "title" -> {
                Params.bind(name, args, kwargs);
                return title(PyRepr.str(value));
            }
            case "tojson" -> {
                Params p = Params.bind(name, args, kwargs, "ensure_ascii", false, "indent", null, "separators", null,
                        "sort_keys", false);
                return PyJson.dumps(value, p.truthy("ensure_ascii"), p.get("indent"), p.get("separators"), p.truthy("sort_keys"));
            }
            case "trim" -> {
                Params p = Params.bind(name, args, kwargs, "chars", null);
                return PyStrings.strip(PyRepr.str(value), p.string("chars"), true, true);
            }
            case "truncate" -> {
                Params p = Params.bind(name, args, kwargs, "length", 255L, "killwords", false, "end", "...", "leeway", null);
                return truncate(PyRepr.str(value), p);
            }
            case "unique" -> {
                Params p = Params.bind(name, args, kwargs, "case_sensitive", false, "attribute", null);
                List<Object> out = new ArrayList<>();
                List<Object> seen = new ArrayList<>();
                for (Object item : PyOps.iterate(value)) {
                    Object key = ignoreCase(attribute(item, p.get("attribute"), null, true), p.truthy("case_sensitive"));
                    boolean duplicate = false;
                    for (Object s : seen) duplicate |= PyOps.equal(s, key);
                    if (!duplicate) {
                        seen.add(key);
                        out.add(item);
                    }
                }
                return PyIterator.generator(out);
            }
            case "urlencode" -> {
                Params.bind(name, args, kwargs);
                if (value instanceof String || value instanceof Markup) return urlQuote(PyRepr.str(value), false);
                List<String> pairs = new ArrayList<>();
                List<Object> items = value instanceof Map<?, ?> map ? new ArrayList<>(new PyView("items", castMap(map)).items()) : PyOps.iterate(value);
                for (Object item : items) {
                    List<Object> kv = PyOps.iterate(item);
                    pairs.add(urlQuote(PyRepr.str(kv.get(0)), true) + "=" + urlQuote(PyRepr.str(kv.get(1)), true));
                }
                return String.join("&", pairs);
            }
            case "wordcount" -> {
                Params.bind(name, args, kwargs);
                Matcher m = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS).matcher(PyRepr.str(value));
                long n = 0;
                while (m.find()) n++;
                return n;
            }
            case "wordwrap" -> {
                Params p = Params.bind(name, args, kwargs, "width", 79L, "break_long_words", true, "wrapstring", null,
                        "break_on_hyphens", true);
                return wordwrap(PyRepr.str(value), (int) p.integer("width"), p.get("wrapstring") == null ? "\n" : p.string("wrapstring"));
            }
            default -> throw TemplateException.runtime("the filter '" + name + "' is not supported by srr");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> castMap(Map<?, ?> map) {
        return (Map<Object, Object>) map;
    }

    /** The attribute (a dotted path, or an index) of an item, as Jinja2's make_attrgetter reads it. */
    static Object attribute(Object item, Object attribute, Object fallback, boolean allowNone) {
        if (attribute == null) return item;
        Object v = PyOps.isInt(attribute) ? Access.item(item, attribute) : Access.path(item, PyRepr.str(attribute));
        if (v instanceof Undefined && fallback != null) return fallback;
        return v;
    }

    private static Object ignoreCase(Object v, boolean caseSensitive) {
        return !caseSensitive && v instanceof String s ? PyStrings.lower(s) : v;
    }

    /** A stable sort by key with Python's ordering (a TypeError for keys Python cannot order). */
    private static List<Object> sorted(List<Object> items, Function<Object, Object> key, boolean reverse) {
        List<Object[]> keyed = new ArrayList<>();
        for (Object item : items) keyed.add(new Object[]{key.apply(item), item});
        Comparator<Object[]> order = (a, b) -> PyOps.compare(a[0], b[0], "lt");
        keyed.sort(reverse ? order.reversed() : order);
        List<Object> out = new ArrayList<>(keyed.size());
        for (Object[] k : keyed) out.add(k[1]);
        return out;
    }

    /** Jinja2's map, select and reject skip a false value (None, an empty list) instead of iterating it. */
    private static List<Object> itemsIfTrue(Object value) {
        return PyOps.truthy(value) ? PyOps.iterate(value) : List.of();
    }

    private static Object map(Object value, List<Object> args, Map<String, Object> kwargs) {
        List<Object> out = new ArrayList<>();
        if (args.isEmpty() && kwargs.containsKey("attribute")) {
            Map<String, Object> rest = new LinkedHashMap<>(kwargs);
            Object attribute = rest.remove("attribute");
            Object fallback = rest.remove("default");
            if (!rest.isEmpty()) throw TemplateException.runtime("Unexpected keyword argument '" + rest.keySet().iterator().next() + "'");
            for (Object item : itemsIfTrue(value)) out.add(attribute(item, attribute, fallback, true));
            return PyIterator.generator(out);
        }
        if (args.isEmpty()) throw TemplateException.runtime("map requires a filter argument");
        String filter = PyRepr.str(args.get(0));
        if (!exists(filter)) throw TemplateException.runtime("No filter named '" + filter + "'.");
        List<Object> rest = args.subList(1, args.size());
        for (Object item : itemsIfTrue(value)) out.add(apply(filter, item, rest, kwargs));
        return PyIterator.generator(out);
    }

    private static Object select(Object value, List<Object> args, Map<String, Object> kwargs, boolean keep, boolean byAttribute) {
        int at = 0;
        Object attribute = null;
        if (byAttribute) {
            if (args.isEmpty()) throw TemplateException.runtime("Missing parameter for attribute name");
            attribute = args.get(at++);
        }
        String test = args.size() > at ? PyRepr.str(args.get(at++)) : null;
        if (test != null && !Tests.exists(test)) throw TemplateException.runtime("No test named '" + test + "'.");
        List<Object> testArgs = args.subList(Math.min(at, args.size()), args.size());
        List<Object> out = new ArrayList<>();
        for (Object item : itemsIfTrue(value)) {
            Object v = byAttribute ? attribute(item, attribute, null, true) : item;
            boolean passes = test == null ? PyOps.truthy(v) : PyOps.truthy(Tests.apply(test, v, testArgs, kwargs));
            if (passes == keep) out.add(item);
        }
        return PyIterator.generator(out);
    }

    private static Object groupby(Object value, Params p) {
        boolean caseSensitive = p.truthy("case_sensitive");
        Object attribute = p.get("attribute");
        Object fallback = p.get("default");
        List<Object> items = sorted(PyOps.iterate(value), item -> ignoreCase(attribute(item, attribute, fallback, true), caseSensitive), false);
        List<Object> groups = new ArrayList<>();
        Object currentKey = null;
        List<Object> current = null;
        for (Object item : items) {
            Object key = ignoreCase(attribute(item, attribute, fallback, true), caseSensitive);
            if (current == null || !PyOps.equal(key, currentKey)) {
                current = new ArrayList<>();
                currentKey = key;
                groups.add(current);
            }
            current.add(item);
        }
        List<Object> out = new ArrayList<>();
        for (Object g : groups) {
            List<?> list = (List<?>) g;
            Object grouper = attribute(list.get(0), attribute, fallback, true);
            out.add(new Group(grouper, new ArrayList<>(list)));
        }
        return out;
    }

    /** One group of the groupby filter: a (grouper, list) tuple whose parts are also attributes. */
    static final class Group extends java.util.AbstractList<Object> {
        final Object grouper;
        final List<Object> list;

        Group(Object grouper, List<Object> list) {
            this.grouper = grouper;
            this.list = list;
        }

        @Override
        public Object get(int index) {
            return index == 0 ? grouper : list;
        }

        @Override
        public int size() {
            return 2;
        }
    }

    private static String indent(String s, Params p) {
        Object width = p.get("width");
        String indentation = width instanceof String w ? w : " ".repeat((int) p.integer("width"));
        s += "\n";
        List<String> lines = PyStrings.splitlines(s, false);
        StringBuilder sb = new StringBuilder();
        if (p.truthy("blank")) {
            sb.append(String.join("\n" + indentation, lines));
        } else {
            sb.append(lines.get(0));
            for (String line : lines.subList(1, lines.size())) sb.append('\n').append(line.isEmpty() ? line : indentation + line);
        }
        return p.truthy("first") ? indentation + sb : sb.toString();
    }

    private static List<Object> slices(List<Object> seq, int slices, Object fill) {
        int length = seq.size();
        int perSlice = length / slices;
        int withExtra = length % slices;
        int offset = 0;
        List<Object> out = new ArrayList<>();
        for (int n = 0; n < slices; n++) {
            int start = offset + n * perSlice;
            if (n < withExtra) offset++;
            int end = offset + (n + 1) * perSlice;
            List<Object> part = new ArrayList<>(seq.subList(start, end));
            if (fill != null && n >= withExtra) part.add(fill);
            out.add(part);
        }
        return out;
    }

    /** Jinja2's title filter: each word (split at white space, -, (, {, [ and <) upper-cased first, the rest lower. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder();
        Matcher m = TITLE_SPLIT.matcher(s);
        int last = 0;
        while (m.find()) {
            titleWord(sb, s.substring(last, m.start()));
            sb.append(m.group());
            last = m.end();
        }
        titleWord(sb, s.substring(last));
        return sb.toString();
    }

    private static void titleWord(StringBuilder sb, String word) {
        if (word.isEmpty()) return;
        int first = word.codePointAt(0);
        sb.append(PyStrings.upper(new String(Character.toChars(first)))).append(PyStrings.lower(word.substring(Character.charCount(first))));
    }

    private static String truncate(String s, Params p) {
        long length = p.integer("length");
        String end = p.string("end");
        long leeway = p.get("leeway") == null ? 5 : p.integer("leeway");
        int n = s.codePointCount(0, s.length());
        if (n <= length + leeway) return s;
        int keep = (int) Math.max(0, length - end.length());
        String head = s.substring(0, s.offsetByCodePoints(0, Math.min(keep, n)));
        if (p.truthy("killwords")) return head + end;
        int space = head.lastIndexOf(' ');
        return (space < 0 ? head : head.substring(0, space)) + end;
    }

    private static Object sortedDicts(Object v) {
        if (v instanceof Map<?, ?> map) {
            List<Object> keys = sorted(new ArrayList<>(map.keySet()), k -> k, false);
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object k : keys) out.put(k, sortedDicts(map.get(k)));
            return out;
        }
        if (v instanceof List<?> list && !(v instanceof PyRange)) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) out.add(sortedDicts(o));
            return out;
        }
        return v;
    }

    private static String unescapeEntities(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#34;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    private static String urlQuote(String s, boolean forQuery) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-' || c == '~' || (c == '/' && !forQuery)) {
                sb.append((char) c);
            } else if (c == ' ' && forQuery) {
                sb.append('+');
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    /** Greedy wrapping of each line at spaces (textwrap.wrap without hyphen breaking subtleties). */
    private static String wordwrap(String s, int width, String wrapString) {
        List<String> lines = new ArrayList<>();
        for (String line : PyStrings.splitlines(s, false)) {
            List<String> wrapped = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String word : PyStrings.split(line, null, -1)) {
                if (current.length() > 0 && current.length() + 1 + word.length() > width) {
                    wrapped.add(current.toString());
                    current.setLength(0);
                }
                if (current.length() > 0) current.append(' ');
                current.append(word);
            }
            if (current.length() > 0) wrapped.add(current.toString());
            lines.add(String.join(wrapString, wrapped));
        }
        return String.join(wrapString, lines);
    }
}
