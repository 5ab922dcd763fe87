package dev.srr.tokenizer.jinja;

import java.util.List;

/** Statement nodes: template text, printed expressions and the tags chat templates use. */
sealed interface Stmt {
    record Text(String text) implements Stmt { }

    record Print(Expr value) implements Stmt { }

    record If(List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise) implements Stmt { }

    /** for target in iterable [if filter] [recursive] ... [else ...] endfor. */
    record For(Target target, Expr iterable, Expr filter, boolean recursive, List<Stmt> body, List<Stmt> otherwise)
            implements Stmt { }

    /** set target = value. */
    record Set(Target target, Expr value) implements Stmt { }

    /** set target [| filters] ... endset: the rendered body, filtered. */
    record SetBlock(Target target, Expr filter, List<Stmt> body) implements Stmt { }

    record MacroDefinition(MacroSpec macro) implements Stmt { }

    /** call(params) macro(...) ... endcall: the body becomes the macro's caller(). */
    record CallBlock(Expr.Call call, MacroSpec caller) implements Stmt { }

    /** filter f ... endfilter; filter is a Filter chain whose innermost value is null. */
    record FilterBlock(Expr filter, List<Stmt> body) implements Stmt { }

    record With(List<Target> targets, List<Expr> values, List<Stmt> body) implements Stmt { }

    /** A body rendered in place: block, generation, autoescape. */
    record Scope(List<Stmt> body) implements Stmt { }

    record Break() implements Stmt { }

    record Continue() implements Stmt { }

    /** A tag that needs a template loader (include, import, extends), which chat templates never have. */
    record NeedsLoader() implements Stmt { }

    /** What set, for and with assign to: a name, a namespace attribute, or a tuple of targets to unpack. */
    record Target(String name, String attribute, List<Target> items) {
        static Target name(String name) {
            return new Target(name, null, null);
        }
    }

    /** A macro's name, parameters (with defaults for the last ones), body, and whether it reads varargs/kwargs/caller. */
    record MacroSpec(String name, List<String> parameters, List<Expr> defaults, List<Stmt> body, boolean varargs,
                     boolean kwargs, boolean caller) { }
}
