package dev.srr.tokenizer.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Executes a parsed template: statements write to a buffer, expressions evaluate with Python's semantics. */
final class Renderer {
    /** How a statement list ended: normally, or by break or continue inside a loop. */
    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final Map<String, Object> globals;
    private final long deadline;
    private final long seconds;

    /** @param seconds how long the render may take; loops check the clock on every iteration */
    Renderer(Map<String, Object> globals, long seconds) {
        this.globals = globals;
        this.seconds = seconds;
        this.deadline = System.nanoTime() + seconds * 1_000_000_000L;
    }

    String render(List<Stmt> body) {
        String out = renderBody(body, new Scope(null, globals));
        Limits.chars(out.length());
        return out;
    }

    String renderBody(List<Stmt> body, Scope scope) {
        StringBuilder out = new StringBuilder();
        execute(body, scope, out);
        return out.toString();
    }

    private Flow execute(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt s : body) {
            Flow flow = execute(s, scope, out);
            if (flow != Flow.NORMAL) return flow;
        }
        return Flow.NORMAL;
    }

    private Flow execute(Stmt stmt, Scope scope, StringBuilder out) {
        switch (stmt) {
            case Stmt.Text t -> out.append(t.text());
            case Stmt.Print p -> out.append(PyRepr.str(evaluate(p.value(), scope)));
            case Stmt.If s -> {
                for (int i = 0; i < s.tests().size(); i++) {
                    if (PyOps.truthy(evaluate(s.tests().get(i), scope))) return execute(s.bodies().get(i), scope, out);
                }
                return execute(s.otherwise(), scope, out);
            }
            case Stmt.For f -> {
                return loop(f, evaluate(f.iterable(), scope), scope, out, 1);
            }
            case Stmt.Set s -> assign(s.target(), evaluate(s.value(), scope), scope);
            case Stmt.SetBlock s -> {
                Object value = renderBody(s.body(), scope);
                if (s.filter() != null) value = filter(s.filter(), value, scope);
                assign(s.target(), value, scope);
            }
            case Stmt.MacroDefinition m -> scope.set(m.macro().name(), new Macro(m.macro(), scope, this));
            case Stmt.CallBlock c -> {
                Object function = evaluate(c.call().function(), scope);
                Arguments args = arguments(c.call().arguments(), scope);
                args.keywords.put("caller", new Macro(c.caller(), scope, this));
                out.append(PyRepr.str(call(function, args)));
            }
            case Stmt.FilterBlock f -> out.append(PyRepr.str(filter(f.filter(), renderBody(f.body(), scope), scope)));
            case Stmt.With w -> {
                Scope inner = scope.child();
                for (int i = 0; i < w.targets().size(); i++) assign(w.targets().get(i), evaluate(w.values().get(i), scope), inner);
                return execute(w.body(), inner, out);
            }
            case Stmt.Scope s -> {
                return execute(s.body(), scope, out);
            }
            case Stmt.Break b -> {
                return Flow.BREAK;
            }
            case Stmt.Continue c -> {
                return Flow.CONTINUE;
            }
            case Stmt.NeedsLoader n -> throw TemplateException.runtime("no loader for this environment specified");
        }
        return Flow.NORMAL;
    }

    private Flow loop(Stmt.For f, Object iterable, Scope scope, StringBuilder out, int depth) {
        List<Object> items = PyOps.iterate(iterable);
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope test = scope.child();
                assign(f.target(), item, test);
                if (PyOps.truthy(evaluate(f.filter(), test))) kept.add(item);
            }
            items = kept;
        }
        if (items.isEmpty()) return execute(f.otherwise(), scope, out);
        LoopContext loop = new LoopContext(items, depth, f.recursive() ? nested -> {
            StringBuilder inner = new StringBuilder();
            loop(f, nested, scope, inner, depth + 1);
            return inner.toString();
        } : null);
        for (int i = 0; i < items.size(); i++) {
            if (System.nanoTime() > deadline) throw TemplateException.runtime("the render did not finish within " + seconds + " s");
            Limits.chars(out.length());
            loop.index0 = i;
            Scope iteration = scope.child();
            assign(f.target(), items.get(i), iteration);
            iteration.set("loop", loop);
            if (execute(f.body(), iteration, out) == Flow.BREAK) break;
        }
        return Flow.NORMAL;
    }

    private void assign(Stmt.Target target, Object value, Scope scope) {
        if (target.attribute() != null) {
            Object ns = scope.get(target.name());
            if (!(ns instanceof Namespace namespace)) throw TemplateException.runtime("cannot assign attribute on non-namespace object");
            namespace.set(target.attribute(), value);
        } else if (target.items() != null) {
            List<Object> values = PyOps.iterate(value);
            int expected = target.items().size();
            if (values.size() > expected) throw TemplateException.runtime("too many values to unpack (expected " + expected + ")");
            if (values.size() < expected) {
                throw TemplateException.runtime("not enough values to unpack (expected " + expected + ", got " + values.size() + ")");
            }
            for (int i = 0; i < expected; i++) assign(target.items().get(i), values.get(i), scope);
        } else {
            scope.set(target.name(), value);
        }
    }

    // ----- expressions

    Object evaluate(Expr expr, Scope scope) {
        switch (expr) {
            case Expr.Const c -> {
                return c.value();
            }
            case Expr.Name n -> {
                return scope.get(n.name());
            }
            case Expr.ListLiteral l -> {
                List<Object> out = new ArrayList<>(l.items().size());
                for (Expr e : l.items()) out.add(evaluate(e, scope));
                return out;
            }
            case Expr.TupleLiteral t -> {
                List<Object> out = new ArrayList<>(t.items().size());
                for (Expr e : t.items()) out.add(evaluate(e, scope));
                return new PyTuple(out);
            }
            case Expr.DictLiteral d -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    Object key = evaluate(d.keys().get(i), scope);
                    if (key instanceof List<?> || key instanceof Map<?, ?>) {
                        throw TemplateException.runtime("unhashable type: '" + PyOps.typeName(key) + "'");
                    }
                    out.put(key, evaluate(d.values().get(i), scope));
                }
                return out;
            }
            case Expr.GetAttr g -> {
                return Access.attribute(evaluate(g.object(), scope), g.name());
            }
            case Expr.GetItem g -> {
                Object obj = evaluate(g.object(), scope);
                if (g.index() instanceof Expr.Slice s) {
                    return Access.slice(obj, optional(s.start(), scope), optional(s.stop(), scope), optional(s.step(), scope));
                }
                return Access.item(obj, evaluate(g.index(), scope));
            }
            case Expr.Slice s -> throw TemplateException.runtime("a slice outside a subscript");
            case Expr.Call c -> {
                return call(evaluate(c.function(), scope), arguments(c.arguments(), scope));
            }
            case Expr.Filter f -> {
                return filter(f, null, scope);
            }
            case Expr.Test t -> {
                Arguments args = arguments(t.arguments(), scope);
                return Tests.apply(t.name(), evaluate(t.value(), scope), args.positional, args.keywords);
            }
            case Expr.Unary u -> {
                Object v = evaluate(u.operand(), scope);
                return switch (u.op()) {
                    case "not" -> !PyOps.truthy(v);
                    case "neg" -> PyOps.negate(v);
                    default -> PyOps.plus(v);
                };
            }
            case Expr.Binary b -> {
                return binary(b, scope);
            }
            case Expr.Concat c -> {
                StringBuilder sb = new StringBuilder();
                for (Expr e : c.parts()) {
                    sb.append(PyRepr.str(evaluate(e, scope)));
                    Limits.chars(sb.length());
                }
                return sb.toString();
            }
            case Expr.Compare c -> {
                Object left = evaluate(c.first(), scope);
                for (int i = 0; i < c.ops().size(); i++) {
                    Object right = evaluate(c.rest().get(i), scope);
                    if (!compare(c.ops().get(i), left, right)) return false;
                    left = right;
                }
                return true;
            }
            case Expr.Conditional c -> {
                if (PyOps.truthy(evaluate(c.test(), scope))) return evaluate(c.then(), scope);
                return c.otherwise() == null ? new Undefined("the inline if-expression evaluated to false and no else section was defined.")
                        : evaluate(c.otherwise(), scope);
            }
        }
    }

    private Object optional(Expr e, Scope scope) {
        return e == null ? null : evaluate(e, scope);
    }

    private Object binary(Expr.Binary b, Scope scope) {
        Object left = evaluate(b.left(), scope);
        switch (b.op()) {
            case "and" -> {
                return PyOps.truthy(left) ? evaluate(b.right(), scope) : left;
            }
            case "or" -> {
                return PyOps.truthy(left) ? left : evaluate(b.right(), scope);
            }
            default -> {
            }
        }
        Object right = evaluate(b.right(), scope);
        return switch (b.op()) {
            case "add" -> PyOps.add(left, right);
            case "sub" -> PyOps.subtract(left, right);
            case "mul" -> PyOps.multiply(left, right);
            case "div" -> PyOps.divide(left, right);
            case "floordiv" -> PyOps.floorDivide(left, right);
            case "mod" -> PyOps.modulo(left, right);
            default -> PyOps.power(left, right);
        };
    }

    static boolean compare(String op, Object left, Object right) {
        return switch (op) {
            case "eq" -> PyOps.equal(left, right);
            case "ne" -> !PyOps.equal(left, right);
            case "in" -> PyOps.contains(right, left);
            case "notin" -> !PyOps.contains(right, left);
            default -> PyOps.order(op, left, right);
        };
    }

    /** Evaluated call arguments. */
    static final class Arguments {
        final List<Object> positional = new ArrayList<>();
        final Map<String, Object> keywords = new LinkedHashMap<>();
    }

    private Arguments arguments(Expr.Arguments a, Scope scope) {
        Arguments out = new Arguments();
        for (Expr e : a.positional()) out.positional.add(evaluate(e, scope));
        for (int i = 0; i < a.names().size(); i++) out.keywords.put(a.names().get(i), evaluate(a.values().get(i), scope));
        if (a.star() != null) out.positional.addAll(PyOps.iterate(evaluate(a.star(), scope)));
        if (a.starStar() != null) {
            Object kw = evaluate(a.starStar(), scope);
            if (!(kw instanceof Map<?, ?> map)) throw TemplateException.runtime("argument after ** must be a mapping, not " + PyOps.typeName(kw));
            map.forEach((k, v) -> out.keywords.put(String.valueOf(k), v));
        }
        return out;
    }

    private static Object call(Object function, Arguments args) {
        if (function instanceof Undefined u) throw u.error();
        if (!(function instanceof PyCallable c)) throw TemplateException.runtime("'" + PyOps.typeName(function) + "' object is not callable");
        return c.call(args.positional, args.keywords);
    }

    /** A filter chain applied to its innermost value, or to input where the innermost value is a filter block's body. */
    private Object filter(Expr expr, Object input, Scope scope) {
        if (!(expr instanceof Expr.Filter f)) return expr == null ? input : evaluate(expr, scope);
        Object value = f.value() == null ? input : filter(f.value(), input, scope);
        Arguments args = arguments(f.arguments(), scope);
        return Filters.apply(f.name(), value, args.positional, args.keywords);
    }
}
