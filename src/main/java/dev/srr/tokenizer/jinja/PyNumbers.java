package dev.srr.tokenizer.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Python's int(), float() and round() for the int, float and round filters. */
final class PyNumbers {
    private PyNumbers() {
    }

    /** int(value, base), falling back to int(float(value)) as Jinja2's int filter does; null where both fail. */
    static Object toInt(Object value, int base) {
        if (value instanceof Double d) return truncate(d);
        if (PyOps.isInt(value)) return PyOps.normalize(PyOps.bigInt(value));
        if (value instanceof String || value instanceof Markup) {
            String s = PyRepr.str(value);
            BigInteger parsed = parseInt(s, base);
            if (parsed != null) return PyOps.normalize(parsed);
            Double d = toFloat(s);
            return d == null ? null : truncate(d);
        }
        return null;
    }

    private static Object truncate(double d) {
        if (Double.isNaN(d)) throw TemplateException.runtime("cannot convert float NaN to integer");
        if (Double.isInfinite(d)) throw TemplateException.runtime("cannot convert float infinity to integer");
        return PyOps.normalize(new BigDecimal(d).toBigInteger());
    }

    /** Python's int(str, base): white space around, a sign, _ between digits, 0x/0o/0b prefixes for base 0 or a match. */
    static BigInteger parseInt(String text, int base) {
        String s = PyStrings.strip(text, null, true, true);
        boolean negative = false;
        if (s.startsWith("+") || s.startsWith("-")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        String lower = s.toLowerCase();
        int prefixBase = lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : lower.startsWith("0b") ? 2 : 0;
        if (prefixBase != 0 && (base == 0 || base == prefixBase)) {
            base = prefixBase;
            s = s.substring(2);
            if (s.startsWith("_")) s = s.substring(1);
        } else if (base == 0) {
            if (s.length() > 1 && s.startsWith("0") && !s.replace("_", "").matches("0+")) return null;
            base = 10;
        }
        if (s.isEmpty() || s.startsWith("_") || s.endsWith("_") || s.contains("__")) return null;
        s = s.replace("_", "");
        for (int i = 0; i < s.length(); i++) if (Character.digit(s.charAt(i), base) < 0) return null;
        try {
            BigInteger v = new BigInteger(s, base);
            return negative ? v.negate() : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** float(value); null where Python raises TypeError or ValueError. */
    static Double toFloat(Object value) {
        if (value instanceof Double d) return d;
        if (PyOps.isInt(value)) return PyOps.toDouble(value);
        if (!(value instanceof String) && !(value instanceof Markup)) return null;
        String s = PyStrings.strip(PyRepr.str(value), null, true, true).toLowerCase();
        String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        double sign = s.startsWith("-") ? -1 : 1;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) return sign * Double.POSITIVE_INFINITY;
        if (unsigned.equals("nan")) return Double.NaN;
        if (!unsigned.matches("(\\d(_?\\d)*)?(\\.(\\d(_?\\d)*)?)?(e[+-]?\\d(_?\\d)*)?") || !unsigned.matches(".*\\d.*")
                || unsigned.startsWith("e") || unsigned.startsWith(".e")) {
            return null;
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    /** The round filter: "common" is Python's round (half to even on the exact value), else math.ceil/floor. */
    static Object round(Object value, int precision, String method) {
        if (value instanceof Undefined u) throw u.error();
        if (!method.equals("common") && !method.equals("ceil") && !method.equals("floor")) {
            throw TemplateException.runtime("method must be common, ceil or floor");
        }
        if (!PyOps.isNumber(value)) throw TemplateException.runtime("type " + PyOps.typeName(value) + " doesn't define __round__ method");
        if (method.equals("common")) {
            if (PyOps.isInt(value)) {
                if (precision >= 0) return PyOps.normalize(PyOps.bigInt(value));
                return PyOps.normalize(new BigDecimal(PyOps.bigInt(value)).setScale(precision, RoundingMode.HALF_EVEN).toBigInteger());
            }
            double d = (Double) value;
            if (Double.isNaN(d) || Double.isInfinite(d)) return d;
            double r = new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).doubleValue();
            return r == 0 ? Math.copySign(0.0, d) : r;
        }
        Object scale = PyOps.power(10L, (long) precision);
        Object scaled = PyOps.multiply(value, scale);
        double d = PyOps.toDouble(scaled);
        BigInteger whole = new BigDecimal(d).setScale(0, method.equals("ceil") ? RoundingMode.CEILING : RoundingMode.FLOOR).toBigInteger();
        if (PyOps.isInt(scaled)) whole = PyOps.bigInt(scaled);
        return PyOps.divide(PyOps.normalize(whole), scale);
    }
}
