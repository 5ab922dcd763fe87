package dev.srr.tokenizer.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Python's semantics for the operators templates use: truth, equality, ordering, arithmetic (ints never
 * overflow, / is true division, // and % floor), membership, iteration and len, with Python's TypeErrors.
 */
final class PyOps {
    private PyOps() {
    }

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case BigInteger b -> b.signum() != 0;
            case String s -> !s.isEmpty();
            case Markup m -> !m.text().isEmpty();
            case Undefined u -> false;
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case PyTuple t -> !t.items().isEmpty();
            case PyView view -> !view.map().isEmpty();
            default -> true;
        };
    }

    /** Python's type name, for error messages. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case String s -> "str";
            case Markup m -> "Markup";
            case Undefined u -> "Undefined";
            case PyTuple t -> "tuple";
            case PyRange r -> "range";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Namespace n -> "Namespace";
            case PyView view -> view.pythonType();
            case PyIterator it -> it.pythonType();
            default -> "function";
        };
    }

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof BigInteger || v instanceof Boolean;
    }

    static boolean isNumber(Object v) {
        return isInt(v) || v instanceof Double;
    }

    static BigInteger bigInt(Object v) {
        if (v instanceof Boolean b) return b ? BigInteger.ONE : BigInteger.ZERO;
        if (v instanceof Long l) return BigInteger.valueOf(l);
        return (BigInteger) v;
    }

    /** An int as the smallest Java type holding it. */
    static Object normalize(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    static double toDouble(Object v) {
        if (v instanceof Double d) return d;
        if (v instanceof Long l) return l;
        if (v instanceof Boolean b) return b ? 1 : 0;
        double d = ((BigInteger) v).doubleValue();
        if (Double.isInfinite(d)) throw TemplateException.runtime("int too large to convert to float");
        return d;
    }

    static boolean equal(Object a, Object b) {
        if (a == b) return true;
        if (a instanceof Markup m) a = m.text();
        if (b instanceof Markup m) b = m.text();
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                if (a instanceof BigInteger || b instanceof BigInteger) {
                    double d = toDouble(a instanceof Double ? a : b);
                    if (Double.isNaN(d) || Double.isInfinite(d)) return false;
                    return new BigDecimal(d).compareTo(new BigDecimal(bigInt(a instanceof Double ? b : a))) == 0;
                }
                return toDouble(a) == toDouble(b);
            }
            return bigInt(a).equals(bigInt(b));
        }
        if (a instanceof Undefined || b instanceof Undefined) return a instanceof Undefined && b instanceof Undefined;
        if (a instanceof PyTuple x && b instanceof PyTuple y) return sequenceEqual(x.items(), y.items());
        if (a instanceof List<?> x && b instanceof List<?> y && !(a instanceof PyRange) && !(b instanceof PyRange)) {
            return sequenceEqual(x, y);
        }
        if (a instanceof PyRange x && b instanceof PyRange y) return sequenceEqual(x, y);
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) return false;
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static boolean sequenceEqual(List<?> x, List<?> y) {
        if (x.size() != y.size()) return false;
        for (int i = 0; i < x.size(); i++) if (!equal(x.get(i), y.get(i))) return false;
        return true;
    }

    /** a < b, a <= b, a > b, a >= b with Python's rules; op is one of "lt", "lteq", "gt", "gteq". */
    static boolean order(String op, Object a, Object b) {
        int c = compare(a, b, op);
        return switch (op) {
            case "lt" -> c < 0;
            case "lteq" -> c <= 0;
            case "gt" -> c > 0;
            default -> c >= 0;
        };
    }

    /** Three-way comparison where Python defines one (numbers, strings, lists and tuples); else a TypeError. */
    static int compare(Object a, Object b, String op) {
        if (a instanceof Undefined u) throw u.error();
        if (b instanceof Undefined u) throw u.error();
        if (a instanceof Markup m) a = m.text();
        if (b instanceof Markup m) b = m.text();
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                if (a instanceof BigInteger || b instanceof BigInteger) return exactCompare(a, b);
                return Double.compare(toDouble(a) + 0.0, toDouble(b) + 0.0);
            }
            return bigInt(a).compareTo(bigInt(b));
        }
        if (a instanceof String x && b instanceof String y) return compareCodePoints(x, y);
        List<?> x = sequenceForOrder(a);
        List<?> y = sequenceForOrder(b);
        if (x != null && y != null && (a instanceof PyTuple) == (b instanceof PyTuple)) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!equal(x.get(i), y.get(i))) return compare(x.get(i), y.get(i), op);
            }
            return Integer.compare(x.size(), y.size());
        }
        String symbol = switch (op) {
            case "lt" -> "<";
            case "lteq" -> "<=";
            case "gt" -> ">";
            default -> ">=";
        };
        throw TemplateException.runtime("'" + symbol + "' not supported between instances of '" + typeName(a)
                + "' and '" + typeName(b) + "'");
    }

    private static List<?> sequenceForOrder(Object v) {
        if (v instanceof PyTuple t) return t.items();
        if (v instanceof List<?> l && !(v instanceof PyRange)) return l;
        return null;
    }

    /** Compares an int too large for a double's exact range with a float, exactly as Python does. */
    private static int exactCompare(Object a, Object b) {
        double d = toDoubleLenient(a instanceof Double ? a : b);
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            int c = Double.isNaN(d) ? 0 : (d > 0 ? -1 : 1);
            return a instanceof Double ? -c : c;
        }
        BigDecimal x = a instanceof Double ? new BigDecimal((Double) a) : new BigDecimal(bigInt(a));
        BigDecimal y = b instanceof Double ? new BigDecimal((Double) b) : new BigDecimal(bigInt(b));
        return x.compareTo(y);
    }

    private static double toDoubleLenient(Object v) {
        return v instanceof Double d ? d : bigInt(v).doubleValue();
    }

    static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int a = x.codePointAt(i);
            int b = y.codePointAt(j);
            if (a != b) return Integer.compare(a, b);
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    static Object negate(Object v) {
        if (v instanceof Undefined u) throw u.error();
        if (v instanceof Double d) return -d;
        if (isInt(v)) return normalize(bigInt(v).negate());
        throw TemplateException.runtime("bad operand type for unary -: '" + typeName(v) + "'");
    }

    static Object plus(Object v) {
        if (v instanceof Undefined u) throw u.error();
        if (v instanceof Double) return v;
        if (isInt(v)) return normalize(bigInt(v));
        throw TemplateException.runtime("bad operand type for unary +: '" + typeName(v) + "'");
    }

    static Object add(Object a, Object b) {
        undefinedOperand(a, b);
        if (a instanceof Markup m) return new Markup(joined(m.text(), escapeOperand(b, "+", a)));
        if (b instanceof Markup m && a instanceof String s) return new Markup(joined(Markup.escape(s), m.text()));
        if (a instanceof String x) {
            if (b instanceof String y) return joined(x, y);
            throw TemplateException.runtime("can only concatenate str (not \"" + typeName(b) + "\") to str");
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) return toDouble(a) + toDouble(b);
            return normalize(bigInt(a).add(bigInt(b)));
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            Limits.items((long) x.items().size() + y.items().size());
            List<Object> out = new ArrayList<>(x.items());
            out.addAll(y.items());
            return new PyTuple(out);
        }
        if (a instanceof List<?> x && b instanceof List<?> y && !(a instanceof PyRange) && !(b instanceof PyRange)) {
            Limits.items((long) x.size() + y.size());
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (a instanceof List<?> && !(a instanceof PyRange)) {
            throw TemplateException.runtime("can only concatenate list (not \"" + typeName(b) + "\") to list");
        }
        throw unsupported("+", a, b);
    }

    private static String joined(String x, String y) {
        Limits.chars((long) x.length() + y.length());
        return x + y;
    }

    private static String escapeOperand(Object v, String op, Object other) {
        if (v instanceof Markup m) return m.text();
        if (v instanceof String s) return Markup.escape(s);
        throw unsupported(op, other, v);
    }

    static Object subtract(Object a, Object b) {
        undefinedOperand(a, b);
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) return toDouble(a) - toDouble(b);
            return normalize(bigInt(a).subtract(bigInt(b)));
        }
        throw unsupported("-", a, b);
    }

    static Object multiply(Object a, Object b) {
        undefinedOperand(a, b);
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) return toDouble(a) * toDouble(b);
            Limits.intBits((long) bigInt(a).bitLength() + bigInt(b).bitLength());
            return normalize(bigInt(a).multiply(bigInt(b)));
        }
        if (isInt(b) && !isInt(a)) return repeat(a, b);
        if (isInt(a) && !isInt(b)) return repeat(b, a);
        throw TemplateException.runtime("can't multiply sequence by non-int of type '" + typeName(b) + "'");
    }

    private static Object repeat(Object sequence, Object times) {
        BigInteger count = bigInt(times).max(BigInteger.ZERO);
        long n = count.min(BigInteger.valueOf(Limits.MAX_CHARS + 1)).longValue();
        if (sequence instanceof String s) {
            Limits.chars(n * s.length());
            return s.repeat((int) n);
        }
        if (sequence instanceof Markup m) {
            Limits.chars(n * m.text().length());
            return new Markup(m.text().repeat((int) n));
        }
        if (sequence instanceof List<?> l && !l.isEmpty()) Limits.items(n * l.size());
        if (sequence instanceof PyTuple t) return new PyTuple(repeated(t.items(), n));
        if (sequence instanceof List<?> l && !(sequence instanceof PyRange)) return repeated(l, n);
        throw unsupported("*", sequence, times);
    }

    private static List<Object> repeated(List<?> items, long n) {
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) out.addAll(items);
        return out;
    }

    static Object divide(Object a, Object b) {
        undefinedOperand(a, b);
        if (!isNumber(a) || !isNumber(b)) throw unsupported("/", a, b);
        if (toDouble(b) == 0) throw TemplateException.runtime("division by zero");
        if (isInt(a) && isInt(b) && (a instanceof BigInteger || b instanceof BigInteger)) {
            return new BigDecimal(bigInt(a)).divide(new BigDecimal(bigInt(b)), java.math.MathContext.DECIMAL128).doubleValue();
        }
        return toDouble(a) / toDouble(b);
    }

    static Object floorDivide(Object a, Object b) {
        undefinedOperand(a, b);
        if (!isNumber(a) || !isNumber(b)) throw unsupported("//", a, b);
        if (a instanceof Double || b instanceof Double) {
            double y = toDouble(b);
            if (y == 0) throw TemplateException.runtime("float floor division by zero");
            double x = toDouble(a);
            double mod = x % y;
            double div = (x - mod) / y;
            if (mod != 0 && (y < 0) != (mod < 0)) div -= 1.0;
            if (div == 0) return Math.copySign(0.0, x / y);
            double floor = Math.floor(div);
            return div - floor > 0.5 ? floor + 1.0 : floor;
        }
        BigInteger y = bigInt(b);
        if (y.signum() == 0) throw TemplateException.runtime("integer division or modulo by zero");
        BigInteger[] qr = bigInt(a).divideAndRemainder(y);
        BigInteger q = qr[0];
        if (qr[1].signum() != 0 && qr[1].signum() != y.signum()) q = q.subtract(BigInteger.ONE);
        return normalize(q);
    }

    static Object modulo(Object a, Object b) {
        undefinedOperand(a, b);
        if (a instanceof String || a instanceof Markup) return PyFormat.percent(PyRepr.str(a), b);
        if (!isNumber(a) || !isNumber(b)) throw unsupported("%", a, b);
        if (a instanceof Double || b instanceof Double) {
            double y = toDouble(b);
            if (y == 0) throw TemplateException.runtime("float modulo by zero");
            return pythonMod(toDouble(a), y);
        }
        BigInteger y = bigInt(b);
        if (y.signum() == 0) throw TemplateException.runtime("integer modulo by zero");
        BigInteger r = bigInt(a).mod(y.abs());
        if (y.signum() < 0 && r.signum() != 0) r = r.add(y);
        return normalize(r);
    }

    /** Python's float %: the result takes the divisor's sign. */
    private static double pythonMod(double x, double y) {
        double r = x % y;
        if (r != 0 && (r < 0) != (y < 0)) r += y;
        if (r == 0) r = Math.copySign(0.0, y);
        return r;
    }

    static Object power(Object a, Object b) {
        undefinedOperand(a, b);
        if (!isNumber(a) || !isNumber(b)) throw unsupported("** or pow()", a, b);
        if (isInt(a) && isInt(b) && bigInt(b).signum() >= 0) {
            if (bigInt(b).bitLength() > 31) throw TemplateException.runtime("exponent too large");
            BigInteger base = bigInt(a);
            BigInteger exponent = bigInt(b);
            if (base.abs().compareTo(BigInteger.ONE) > 0) Limits.intBits(exponent.min(BigInteger.valueOf(Limits.MAX_INT_BITS + 1)).longValue() * base.bitLength());
            return normalize(base.pow(exponent.intValue()));
        }
        double x = toDouble(a);
        double y = toDouble(b);
        if (x == 0 && y < 0) throw TemplateException.runtime("0.0 cannot be raised to a negative power");
        double r = Math.pow(x, y);
        if (Double.isNaN(r) && !Double.isNaN(x) && !Double.isNaN(y)) {
            throw TemplateException.runtime("complex results are not supported");
        }
        return r;
    }

    private static void undefinedOperand(Object a, Object b) {
        if (a instanceof Undefined u) throw u.error();
        if (b instanceof Undefined u) throw u.error();
    }

    private static TemplateException unsupported(String op, Object a, Object b) {
        return TemplateException.runtime("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    /** item in container. */
    static boolean contains(Object container, Object item) {
        switch (container) {
            case null -> throw TemplateException.runtime("argument of type 'NoneType' is not iterable");
            case String s -> {
                if (item instanceof Markup m) item = m.text();
                if (!(item instanceof String sub)) {
                    throw TemplateException.runtime("'in <string>' requires string as left operand, not " + typeName(item));
                }
                return s.contains(sub);
            }
            case Markup m -> {
                return contains(m.text(), item);
            }
            case Map<?, ?> map -> {
                for (Object k : map.keySet()) if (equal(k, item)) return true;
                return false;
            }
            case Namespace ns -> throw TemplateException.runtime("argument of type 'Namespace' is not iterable");
            default -> {
                for (Object o : iterate(container)) if (equal(o, item)) return true;
                return false;
            }
        }
    }

    /** The items a for loop over v visits: list items, dict keys, string characters; Undefined is empty. */
    static List<Object> iterate(Object v) {
        switch (v) {
            case Undefined u -> {
                return List.of();
            }
            case PyTuple t -> {
                return t.items();
            }
            case PyView view -> {
                return view.items();
            }
            case List<?> l -> {
                return new ArrayList<>(l);
            }
            case Map<?, ?> m -> {
                return new ArrayList<>(m.keySet());
            }
            case String s -> {
                List<Object> out = new ArrayList<>(s.length());
                s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
                return out;
            }
            case Markup m -> {
                return iterate(m.text());
            }
            case PyIterator it -> {
                return it.drain();
            }
            case null, default -> throw TemplateException.runtime("'" + typeName(v) + "' object is not iterable");
        }
    }

    static boolean isIterable(Object v) {
        return v instanceof Undefined || v instanceof PyTuple || v instanceof PyView || v instanceof List<?>
                || v instanceof Map<?, ?> || v instanceof String || v instanceof Markup || v instanceof PyIterator;
    }

    static int len(Object v) {
        return switch (v) {
            case Undefined u -> 0;
            case String s -> s.codePointCount(0, s.length());
            case Markup m -> len(m.text());
            case PyTuple t -> t.items().size();
            case List<?> l -> l.size();
            case Map<?, ?> m -> m.size();
            case PyView view -> view.map().size();
            case null, default -> throw TemplateException.runtime("object of type '" + typeName(v) + "' has no len()");
        };
    }
}
