package dev.srr.tokenizer.jinja;

import java.util.List;

/**
 * Jinja2 refuses a template that uses an unknown filter or test when it compiles it, except inside an if
 * statement or an inline if-expression (a "soft frame"), where the error waits until the filter runs. Loop,
 * macro, with, block and filter bodies start hard frames again. This walk applies the same rule.
 */
final class UnknownNames {
    private UnknownNames() {
    }

    static void check(List<Stmt> body) {
        statements(body, false);
    }

    private static void statements(List<Stmt> body, boolean soft) {
        for (Stmt s : body) statement(s, soft);
    }

    private static void statement(Stmt stmt, boolean soft) {
        switch (stmt) {
            case Stmt.Text t -> {
            }
            case Stmt.Print p -> expression(p.value(), soft);
            case Stmt.If s -> {
                s.tests().forEach(t -> expression(t, true));
                s.bodies().forEach(b -> statements(b, true));
                statements(s.otherwise(), true);
            }
            case Stmt.For f -> {
                expression(f.iterable(), soft);
                expression(f.filter(), false);
                statements(f.body(), false);
                statements(f.otherwise(), false);
            }
            case Stmt.Set s -> expression(s.value(), soft);
            case Stmt.SetBlock s -> {
                expression(s.filter(), soft);
                statements(s.body(), false);
            }
            case Stmt.MacroDefinition m -> macro(m.macro());
            case Stmt.CallBlock c -> {
                expression(c.call(), soft);
                macro(c.caller());
            }
            case Stmt.FilterBlock f -> {
                expression(f.filter(), soft);
                statements(f.body(), false);
            }
            case Stmt.With w -> {
                w.values().forEach(v -> expression(v, soft));
                statements(w.body(), false);
            }
            case Stmt.Scope s -> statements(s.body(), false);
            case Stmt.Break b -> {
            }
            case Stmt.Continue c -> {
            }
            case Stmt.NeedsLoader n -> {
            }
        }
    }

    private static void macro(Stmt.MacroSpec spec) {
        spec.defaults().forEach(d -> expression(d, false));
        statements(spec.body(), false);
    }

    private static void arguments(Expr.Arguments a, boolean soft) {
        a.positional().forEach(e -> expression(e, soft));
        a.values().forEach(e -> expression(e, soft));
        expression(a.star(), soft);
        expression(a.starStar(), soft);
    }

    private static void expression(Expr expr, boolean soft) {
        switch (expr) {
            case null -> {
            }
            case Expr.Const c -> {
            }
            case Expr.Name n -> {
            }
            case Expr.ListLiteral l -> l.items().forEach(e -> expression(e, soft));
            case Expr.TupleLiteral t -> t.items().forEach(e -> expression(e, soft));
            case Expr.DictLiteral d -> {
                d.keys().forEach(e -> expression(e, soft));
                d.values().forEach(e -> expression(e, soft));
            }
            case Expr.GetAttr g -> expression(g.object(), soft);
            case Expr.GetItem g -> {
                expression(g.object(), soft);
                expression(g.index(), soft);
            }
            case Expr.Slice s -> {
                expression(s.start(), soft);
                expression(s.stop(), soft);
                expression(s.step(), soft);
            }
            case Expr.Call c -> {
                expression(c.function(), soft);
                arguments(c.arguments(), soft);
            }
            case Expr.Filter f -> {
                if (!soft && !Filters.exists(f.name())) throw TemplateException.syntax(f.line(), "No filter named '" + f.name() + "'.");
                expression(f.value(), soft);
                arguments(f.arguments(), soft);
            }
            case Expr.Test t -> {
                if (!soft && !Tests.exists(t.name())) throw TemplateException.syntax(t.line(), "No test named '" + t.name() + "'.");
                expression(t.value(), soft);
                arguments(t.arguments(), soft);
            }
            case Expr.Unary u -> expression(u.operand(), soft);
            case Expr.Binary b -> {
                expression(b.left(), soft);
                expression(b.right(), soft);
            }
            case Expr.Concat c -> c.parts().forEach(e -> expression(e, soft));
            case Expr.Compare c -> {
                expression(c.first(), soft);
                c.rest().forEach(e -> expression(e, soft));
            }
            case Expr.Conditional c -> {
                expression(c.test(), true);
                expression(c.then(), true);
                expression(c.otherwise(), true);
            }
        }
    }
}
