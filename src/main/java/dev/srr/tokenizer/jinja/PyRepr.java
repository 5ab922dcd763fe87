package dev.srr.tokenizer.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** Python's str() and repr() of template values: what {{ x }} prints. */
final class PyRepr {
    private PyRepr() {
    }

    /** str(value); Undefined prints as nothing. */
    static String str(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof Undefined) return "";
        if (v instanceof Markup m) return m.text();
        return repr(v);
    }

    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(sb, v);
        return sb.toString();
    }

    private static void repr(StringBuilder sb, Object v) {
        Limits.chars(sb.length());
        switch (v) {
            case null -> sb.append("None");
            case Boolean b -> sb.append(b ? "True" : "False");
            case Double d -> sb.append(floatRepr(d));
            case Long l -> sb.append(l);
            case BigInteger b -> sb.append(b);
            case String s -> stringRepr(sb, s);
            case Markup m -> sb.append("Markup(").append(repr(m.text())).append(')');
            case Undefined u -> sb.append("Undefined");
            case PyTuple t -> {
                sb.append('(');
                items(sb, t.items());
                if (t.items().size() == 1) sb.append(',');
                sb.append(')');
            }
            case PyRange r -> {
                sb.append("range(").append(r.start).append(", ").append(r.stop);
                if (r.step != 1) sb.append(", ").append(r.step);
                sb.append(')');
            }
            case PyView view -> {
                sb.append(view.pythonType()).append("([");
                items(sb, view.items());
                sb.append("])");
            }
            case List<?> list -> {
                sb.append('[');
                items(sb, list);
                sb.append(']');
            }
            case Map<?, ?> map -> dictRepr(sb, map);
            case Namespace ns -> {
                sb.append("<Namespace ");
                dictRepr(sb, ns.attributes);
                sb.append('>');
            }
            case PyCallable c -> sb.append('<').append(c.describe()).append('>');
            case PyIterator it -> sb.append('<').append(it.pythonType()).append(" object>");
            default -> sb.append(v);
        }
    }

    private static void items(StringBuilder sb, List<?> items) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append(", ");
            repr(sb, items.get(i));
        }
    }

    private static void dictRepr(StringBuilder sb, Map<?, ?> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) sb.append(", ");
            repr(sb, e.getKey());
            sb.append(": ");
            repr(sb, e.getValue());
            first = false;
        }
        sb.append('}');
    }

    /** repr(str): single quotes unless the text has a single quote and no double quote; Python's escapes. */
    static void stringRepr(StringBuilder sb, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') sb.append('\\').appendCodePoint(cp);
            else if (cp == '\n') sb.append("\\n");
            else if (cp == '\r') sb.append("\\r");
            else if (cp == '\t') sb.append("\\t");
            else if (isPrintable(cp)) sb.appendCodePoint(cp);
            else if (cp < 0x100) sb.append(String.format("\\x%02x", cp));
            else if (cp < 0x10000) sb.append(String.format("\\u%04x", cp));
            else sb.append(String.format("\\U%08x", cp));
        }
        sb.append(quote);
    }

    /** Python's str.isprintable() for one code point: not a control, format, separator (but space) or unassigned. */
    static boolean isPrintable(int cp) {
        if (cp == ' ') return true;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * repr(float): the shortest digits that read back as the same double (Java's Double.toString finds
     * them), laid out as Python lays them out: plain notation for exponents -4..15, else d.ddde+XX.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        String digits;
        int exponent;
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        // Java picks two digits where one already reads back (4.9E-324 for 5e-324); Python keeps the one.
        if (shortest.precision() == 2) {
            BigDecimal one = new BigDecimal(Math.abs(d)).round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (one.doubleValue() == Math.abs(d)) shortest = one.stripTrailingZeros();
        }
        digits = shortest.unscaledValue().toString();
        exponent = digits.length() - 1 - shortest.scale();
        StringBuilder sb = new StringBuilder();
        if (d < 0) sb.append('-');
        if (exponent >= -4 && exponent < 16) {
            if (exponent < 0) {
                sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            } else if (digits.length() <= exponent + 1) {
                sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            if (e < 10) sb.append('0');
            sb.append(e);
        }
        return sb.toString();
    }
}
