package dev.srr.tokenizer.jinja;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jinja2's built-in tests (x is defined, x is string, x is in y, ...), with Python's notion of each type. */
final class Tests {
    private static final Set<String> NAMES = Set.of("boolean", "callable", "defined", "divisibleby", "eq", "equalto",
            "escaped", "even", "false", "filter", "float", "ge", "gt", "greaterthan", "in", "integer", "iterable", "le",
            "lower", "lt", "lessthan", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "test",
            "true", "undefined", "upper", "==", "!=", ">", ">=", "<", "<=");

    private Tests() {
    }

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static Object apply(String name, Object v, List<Object> args, Map<String, Object> kwargs) {
        if (!exists(name)) throw TemplateException.runtime("No test named '" + name + "' found.");
        switch (name) {
            case "defined" -> {
                return !(v instanceof Undefined);
            }
            case "undefined" -> {
                return v instanceof Undefined;
            }
            case "none" -> {
                return v == null;
            }
            case "boolean" -> {
                return v instanceof Boolean;
            }
            case "true" -> {
                return Boolean.TRUE.equals(v);
            }
            case "false" -> {
                return Boolean.FALSE.equals(v);
            }
            case "integer" -> {
                return v instanceof Long || v instanceof java.math.BigInteger;
            }
            case "float" -> {
                return v instanceof Double;
            }
            case "number" -> {
                return PyOps.isNumber(v);
            }
            case "string" -> {
                return v instanceof String || v instanceof Markup;
            }
            case "mapping" -> {
                return v instanceof Map<?, ?>;
            }
            case "iterable" -> {
                return PyOps.isIterable(v);
            }
            case "sequence" -> {
                return v instanceof String || v instanceof Markup || v instanceof List<?> || v instanceof PyTuple
                        || v instanceof Map<?, ?> || v instanceof Undefined;
            }
            case "callable" -> {
                return v instanceof PyCallable;
            }
            case "escaped" -> {
                return v instanceof Markup;
            }
            case "lower" -> {
                return PyStrings.allCased(PyRepr.str(v), false);
            }
            case "upper" -> {
                return PyStrings.allCased(PyRepr.str(v), true);
            }
            case "odd", "even" -> {
                if (v instanceof Undefined u) throw u.error();
                Object r = PyOps.modulo(v, 2L);
                return name.equals("odd") == PyOps.equal(r, 1L);
            }
            case "divisibleby" -> {
                return PyOps.equal(PyOps.modulo(v, one(name, args, kwargs, "num")), 0L);
            }
            case "filter" -> {
                return Filters.exists(PyRepr.str(v));
            }
            case "test" -> {
                return exists(PyRepr.str(v));
            }
            case "sameas" -> {
                Object other = one(name, args, kwargs, "other");
                if (v == null || other == null || v instanceof Boolean) return v == other || (v != null && v.equals(other));
                if (v instanceof Long a && other instanceof Long b) return a.equals(b) && a >= -5 && a <= 256;
                return v == other;
            }
            case "in" -> {
                return PyOps.contains(one(name, args, kwargs, "seq"), v);
            }
            default -> {
                String op = switch (name) {
                    case "eq", "equalto", "==" -> "eq";
                    case "ne", "!=" -> "ne";
                    case "gt", "greaterthan", ">" -> "gt";
                    case "ge", ">=" -> "gteq";
                    case "lt", "lessthan", "<" -> "lt";
                    default -> "lteq";
                };
                return Renderer.compare(op, v, one(name, args, kwargs, "other"));
            }
        }
    }

    private static Object one(String test, List<Object> args, Map<String, Object> kwargs, String parameter) {
        return Params.bind(test, args, kwargs, parameter, Params.REQUIRED).get(parameter);
    }
}
