package dev.srr.tokenizer.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** Python's printf-style "%" formatting and str.format, for the format filter and string methods. */
final class PyFormat {
    private PyFormat() {
    }

    /** format % operand: a tuple gives the arguments, a dict the %(name)s values, anything else is the one argument. */
    static String percent(String format, Object operand) {
        List<Object> args = operand instanceof PyTuple t ? t.items() : List.of(operand == null ? NONE : operand);
        Map<?, ?> mapping = operand instanceof Map<?, ?> m ? m : null;
        StringBuilder sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (++i >= format.length()) throw TemplateException.runtime("incomplete format");
            Object value = null;
            boolean named = false;
            if (format.charAt(i) == '(') {
                int close = format.indexOf(')', i);
                if (mapping == null) throw TemplateException.runtime("format requires a mapping");
                value = mapping.get(format.substring(i + 1, close));
                named = true;
                i = close + 1;
            }
            Spec spec = new Spec();
            while (i < format.length() && "-+ #0".indexOf(format.charAt(i)) >= 0) spec.flag(format.charAt(i++));
            int start = i;
            while (i < format.length() && Character.isDigit(format.charAt(i))) i++;
            if (i > start) spec.width = Integer.parseInt(format.substring(start, i));
            if (i < format.length() && format.charAt(i) == '.') {
                start = ++i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) i++;
                spec.precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
            }
            if (i >= format.length()) throw TemplateException.runtime("incomplete format");
            spec.type = format.charAt(i);
            if (spec.type == '%') {
                sb.append('%');
                continue;
            }
            if (!named) {
                if (next >= args.size()) throw TemplateException.runtime("not enough arguments for format string");
                value = args.get(next++);
                if (value == NONE) value = null;
            }
            sb.append(spec.apply(value));
        }
        if (mapping == null && next < args.size()) throw TemplateException.runtime("not all arguments converted during string formatting");
        return sb.toString();
    }

    private static final Object NONE = new Object();

    /** str.format(*args, **kwargs) with {}, {0}, {name}, {name.attr}, {0[key]}, !r/!s and a format spec. */
    static String format(String template, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) throw TemplateException.runtime("Single '{' encountered in format string");
                String field = template.substring(i + 1, close);
                String specText = "";
                char conversion = 0;
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    specText = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conversion = field.charAt(bang + 1);
                    field = field.substring(0, bang);
                }
                String head = field.split("[.\\[]", 2)[0];
                Object value;
                if (head.isEmpty()) {
                    if (auto >= args.size()) throw TemplateException.runtime("Replacement index " + auto + " out of range for positional args tuple");
                    value = args.get(auto++);
                } else if (head.chars().allMatch(Character::isDigit)) {
                    int index = Integer.parseInt(head);
                    if (index >= args.size()) throw TemplateException.runtime("Replacement index " + index + " out of range for positional args tuple");
                    value = args.get(index);
                } else {
                    if (!kwargs.containsKey(head)) throw TemplateException.runtime("'" + head + "'");
                    value = kwargs.get(head);
                }
                value = fieldPath(value, field.substring(head.length()));
                if (conversion == 'r') value = PyRepr.repr(value);
                else if (conversion == 's') value = PyRepr.str(value);
                sb.append(Spec.parse(specText).applyFormat(value));
                i = close;
            } else if (c == '}') {
                throw TemplateException.runtime("Single '}' encountered in format string");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Object fieldPath(Object value, String rest) {
        while (!rest.isEmpty()) {
            if (rest.startsWith(".")) {
                int end = nextPathStart(rest, 1);
                value = Access.attribute(value, rest.substring(1, end));
                rest = rest.substring(end);
            } else {
                int close = rest.indexOf(']');
                String key = rest.substring(1, close);
                value = Access.item(value, key.chars().allMatch(Character::isDigit) && !key.isEmpty() ? (Object) Long.parseLong(key) : key);
                rest = rest.substring(close + 1);
            }
        }
        return value;
    }

    private static int nextPathStart(String s, int from) {
        for (int i = from; i < s.length(); i++) if (s.charAt(i) == '.' || s.charAt(i) == '[') return i;
        return s.length();
    }

    /** One conversion: flags, fill and alignment, width, precision and type. */
    private static final class Spec {
        char fill = ' ';
        char align = 0;
        char sign = '-';
        boolean alternate;
        boolean zero;
        boolean thousands;
        int width = -1;
        int precision = -1;
        char type = 0;

        void flag(char f) {
            switch (f) {
                case '-' -> align = '<';
                case '+', ' ' -> sign = f;
                case '#' -> alternate = true;
                default -> zero = true;
            }
        }

        static Spec parse(String s) {
            Spec spec = new Spec();
            int i = 0;
            if (s.length() >= 2 && "<>^=".indexOf(s.charAt(1)) >= 0) {
                spec.fill = s.charAt(0);
                spec.align = s.charAt(1);
                i = 2;
            } else if (!s.isEmpty() && "<>^=".indexOf(s.charAt(0)) >= 0) {
                spec.align = s.charAt(0);
                i = 1;
            }
            if (i < s.length() && "+- ".indexOf(s.charAt(i)) >= 0) spec.sign = s.charAt(i++);
            if (i < s.length() && s.charAt(i) == '#') {
                spec.alternate = true;
                i++;
            }
            if (i < s.length() && s.charAt(i) == '0') {
                spec.zero = true;
                i++;
            }
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (i > start) spec.width = Integer.parseInt(s.substring(start, i));
            if (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == '_')) {
                spec.thousands = true;
                i++;
            }
            if (i < s.length() && s.charAt(i) == '.') {
                start = ++i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                spec.precision = Integer.parseInt(s.substring(start, i));
            }
            if (i < s.length()) spec.type = s.charAt(i++);
            if (i < s.length()) throw TemplateException.runtime("Invalid format specifier '" + s + "'");
            return spec;
        }

        /** A % conversion. */
        String apply(Object v) {
            String body = switch (type) {
                case 's' -> PyRepr.str(v);
                case 'r', 'a' -> PyRepr.repr(v);
                case 'c' -> v instanceof String s ? s : new String(Character.toChars((int) PyOps.bigInt(integer(v)).longValue()));
                case 'd', 'i', 'u' -> signed(PyOps.bigInt(integer(v)).toString());
                case 'x', 'X', 'o' -> radix(PyOps.bigInt(integer(v)));
                case 'f', 'F', 'e', 'E', 'g', 'G' -> floating(number(v));
                default -> throw TemplateException.runtime("unsupported format character '" + type + "'");
            };
            if (type == 's' || type == 'r' || type == 'a') {
                if (precision >= 0 && body.codePointCount(0, body.length()) > precision) {
                    body = body.substring(0, body.offsetByCodePoints(0, precision));
                }
                return pad(body, align == '<' ? '<' : '>', ' ');
            }
            if (zero && align != '<') return zeroPad(body);
            return pad(body, align == '<' ? '<' : '>', ' ');
        }

        /** A str.format conversion. */
        String applyFormat(Object v) {
            String body;
            boolean numeric = PyOps.isNumber(v) && !(v instanceof Boolean && type == 0);
            if (type == 0 && !numeric) {
                body = PyRepr.str(v);
                if (precision >= 0 && body.length() > precision) body = body.substring(0, precision);
                return pad(body, align == 0 ? '<' : align, fill);
            }
            switch (type) {
                case 's' -> {
                    body = PyRepr.str(v);
                    if (precision >= 0 && body.length() > precision) body = body.substring(0, precision);
                    return pad(body, align == 0 ? '<' : align, fill);
                }
                case 'd', 'n', 0 -> {
                    if (v instanceof Double d) {
                        body = precision >= 0 ? floatingG(d, precision, true) : signed(PyRepr.floatRepr(Math.abs(d)), d < 0 || (d == 0 && 1 / d < 0));
                    } else {
                        body = signed(PyOps.bigInt(integer(v)).toString());
                    }
                }
                case 'x', 'X', 'o', 'b' -> body = radix(PyOps.bigInt(integer(v)));
                case 'c' -> body = new String(Character.toChars((int) PyOps.bigInt(integer(v)).longValue()));
                case '%' -> {
                    double d = number(v) * 100;
                    type = 'f';
                    body = floating(d) + "%";
                    type = '%';
                }
                default -> body = floating(number(v));
            }
            if (zero && align == 0) return zeroPad(body);
            return pad(body, align == 0 ? '>' : align, fill);
        }

        private Object integer(Object v) {
            if (v instanceof Double d) return PyNumbers.toInt(d, 10);
            if (!PyOps.isInt(v)) throw TemplateException.runtime("%" + type + " format: a real number is required, not " + PyOps.typeName(v));
            return v;
        }

        private double number(Object v) {
            if (!PyOps.isNumber(v)) throw TemplateException.runtime("must be real number, not " + PyOps.typeName(v));
            return PyOps.toDouble(v);
        }

        private String signed(String digits) {
            boolean negative = digits.startsWith("-");
            return signed(negative ? digits.substring(1) : digits, negative);
        }

        private String signed(String magnitude, boolean negative) {
            if (thousands) magnitude = groupThousands(magnitude);
            if (negative) return "-" + magnitude;
            return sign == '+' ? "+" + magnitude : sign == ' ' ? " " + magnitude : magnitude;
        }

        private static String groupThousands(String s) {
            int dot = s.indexOf('.');
            String whole = dot < 0 ? s : s.substring(0, dot);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < whole.length(); i++) {
                if (i > 0 && (whole.length() - i) % 3 == 0) sb.append(',');
                sb.append(whole.charAt(i));
            }
            return sb + (dot < 0 ? "" : s.substring(dot));
        }

        private String radix(BigInteger v) {
            int base = switch (type) {
                case 'x', 'X' -> 16;
                case 'b' -> 2;
                default -> 8;
            };
            String digits = v.abs().toString(base);
            if (type == 'X') digits = digits.toUpperCase();
            if (alternate) digits = "0" + (type == 'b' ? "b" : type == 'o' ? "o" : String.valueOf(type)) + digits;
            return signed(digits, v.signum() < 0);
        }

        private String floating(double d) {
            boolean negative = d < 0 || (d == 0 && 1 / d < 0);
            double a = Math.abs(d);
            if (Double.isNaN(a) || Double.isInfinite(a)) {
                String s = Double.isNaN(a) ? "nan" : "inf";
                return signed(Character.isUpperCase(type) ? s.toUpperCase() : s, negative && !Double.isNaN(a));
            }
            int p = precision < 0 ? 6 : precision;
            String body = switch (Character.toLowerCase(type)) {
                case 'f' -> new BigDecimal(a).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
                case 'e' -> scientific(a, p);
                default -> floatingG(a, p, alternate);
            };
            if (Character.isUpperCase(type)) body = body.toUpperCase();
            return signed(body, negative);
        }

        private static String scientific(double a, int p) {
            if (a == 0) return "0" + (p > 0 ? "." + "0".repeat(p) : "") + "e+00";
            BigDecimal r = new BigDecimal(a).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
            int exponent = r.precision() - r.scale() - 1;
            String digits = r.unscaledValue().toString();
            digits = (digits + "0".repeat(p + 1)).substring(0, p + 1);
            String mantissa = digits.charAt(0) + (p > 0 ? "." + digits.substring(1) : "");
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }

        /** %g: significant digits, plain or scientific by exponent, trailing zeros dropped unless kept. */
        private static String floatingG(double a, int p, boolean keepZeros) {
            if (p == 0) p = 1;
            if (a == 0) return keepZeros ? "0." + "0".repeat(p - 1) : "0";
            BigDecimal r = new BigDecimal(Math.abs(a)).round(new MathContext(p, RoundingMode.HALF_EVEN));
            int exponent = r.precision() - r.scale() - 1;
            String s;
            if (exponent >= -4 && exponent < p) {
                s = r.setScale(Math.max(0, p - 1 - exponent), RoundingMode.HALF_EVEN).toPlainString();
                if (!keepZeros && s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            } else {
                s = scientific(Math.abs(a), p - 1);
                if (!keepZeros) s = s.replaceAll("\\.?0+e", "e");
            }
            return (a < 0 ? "-" : "") + s;
        }

        private String zeroPad(String body) {
            if (width < 0 || body.length() >= width) return body;
            int signLength = !body.isEmpty() && "+- ".indexOf(body.charAt(0)) >= 0 ? 1 : 0;
            return body.substring(0, signLength) + "0".repeat(width - body.length()) + body.substring(signLength);
        }

        private String pad(String body, char side, char with) {
            int len = body.codePointCount(0, body.length());
            if (width < 0 || len >= width) return body;
            int total = width - len;
            String f = String.valueOf(with);
            return switch (side) {
                case '<' -> body + f.repeat(total);
                case '^' -> f.repeat(total / 2) + body + f.repeat(total - total / 2);
                default -> f.repeat(total) + body;
            };
        }
    }
}
