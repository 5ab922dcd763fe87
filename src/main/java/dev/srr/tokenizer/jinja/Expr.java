package dev.srr.tokenizer.jinja;

import java.util.List;

/** Expression nodes of the template language, as Jinja2's parser builds them. */
sealed interface Expr {
    /** A literal value. */
    record Const(Object value) implements Expr { }

    /** A variable read. */
    record Name(String name) implements Expr { }

    record ListLiteral(List<Expr> items) implements Expr { }

    record TupleLiteral(List<Expr> items) implements Expr { }

    record DictLiteral(List<Expr> keys, List<Expr> values) implements Expr { }

    /** obj.name: an attribute first, then an item (Jinja2's getattr). */
    record GetAttr(Expr object, String name) implements Expr { }

    /** obj[index]: an item first, then an attribute (Jinja2's getitem). */
    record GetItem(Expr object, Expr index) implements Expr { }

    /** start:stop:step inside a subscript; any part may be null. */
    record Slice(Expr start, Expr stop, Expr step) implements Expr { }

    /** Positional and keyword arguments of a call, a filter or a test, with *args and **kwargs. */
    record Arguments(List<Expr> positional, List<String> names, List<Expr> values, Expr star, Expr starStar) {
        static final Arguments NONE = new Arguments(List.of(), List.of(), List.of(), null, null);
    }

    record Call(Expr function, Arguments arguments, int line) implements Expr { }

    /** value|name(arguments); value is null in a filter block, which filters its body. */
    record Filter(Expr value, String name, Arguments arguments, int line) implements Expr { }

    record Test(Expr value, String name, Arguments arguments, int line) implements Expr { }

    /** "neg", "pos" or "not". */
    record Unary(String op, Expr operand) implements Expr { }

    /** "add", "sub", "mul", "div", "floordiv", "mod", "pow", "and", "or". */
    record Binary(String op, Expr left, Expr right) implements Expr { }

    /** a ~ b ~ c: the str() of each, joined. */
    record Concat(List<Expr> parts) implements Expr { }

    /** A chained comparison: first op[0] rest[0] op[1] rest[1] ... with ops eq, ne, lt, lteq, gt, gteq, in, notin. */
    record Compare(Expr first, List<String> ops, List<Expr> rest) implements Expr { }

    /** then if test else otherwise; otherwise is null when the template has no else (Undefined then). */
    record Conditional(Expr test, Expr then, Expr otherwise) implements Expr { }
}
