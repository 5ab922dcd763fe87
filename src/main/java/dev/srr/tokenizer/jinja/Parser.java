package dev.srr.tokenizer.jinja;

import dev.srr.tokenizer.jinja.Token.Kind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Builds the statement tree from tokens, following Jinja2's grammar and precedence: or, and, not, comparisons,
 * + and -, ~, * / // %, **, unary - and +, then filters and tests (so -x|abs is (-x)|abs and ~ binds tighter than
 * +). Unknown tags fail here, and unknown filters and tests as far as Jinja2 fails on them when it compiles.
 */
final class Parser {
    private static final Set<String> COMPARE = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<String> PRIMARY_START = Set.of("(", "[", "{");

    private final List<Token> tokens;
    private int at;
    private int loopDepth;
    /** Macros being parsed, innermost first: which of varargs, kwargs and caller their bodies read. */
    private final Deque<boolean[]> macros = new ArrayDeque<>();

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Stmt> parse(String template) {
        Parser p = new Parser(Lexer.tokenize(template));
        List<Stmt> body = p.subparse(Set.of());
        if (p.current().kind() != Kind.EOF) throw p.fail("unexpected " + p.current().describe());
        UnknownNames.check(body);
        return body;
    }

    private Token current() {
        return tokens.get(at);
    }

    private Token look() {
        return tokens.get(Math.min(at + 1, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(at);
        if (at < tokens.size() - 1) at++;
        return t;
    }

    private TemplateException fail(String message) {
        return TemplateException.syntax(current().line(), message);
    }

    private boolean skipName(String name) {
        if (current().isName(name)) {
            next();
            return true;
        }
        return false;
    }

    private boolean skipOperator(String op) {
        if (current().isOperator(op)) {
            next();
            return true;
        }
        return false;
    }

    private void expectOperator(String op) {
        if (!skipOperator(op)) throw fail("expected token '" + op + "', got " + current().describe());
    }

    private void expectName(String name) {
        if (!skipName(name)) throw fail("expected token '" + name + "', got " + current().describe());
    }

    private String expectAnyName() {
        if (current().kind() != Kind.NAME) throw fail("expected token 'name', got " + current().describe());
        return next().text();
    }

    private void expect(Kind kind) {
        if (current().kind() != kind) throw fail("expected " + kind.name().toLowerCase().replace('_', ' ') + ", got " + current().describe());
        next();
    }

    // ----- statements

    private List<Stmt> subparse(Set<String> endTags) {
        List<Stmt> body = new ArrayList<>();
        while (current().kind() != Kind.EOF) {
            Token t = current();
            switch (t.kind()) {
                case DATA -> {
                    next();
                    body.add(new Stmt.Text(t.text()));
                }
                case VARIABLE_BEGIN -> {
                    next();
                    body.add(new Stmt.Print(parseTuple(false, true, Set.of(), false)));
                    expect(Kind.VARIABLE_END);
                }
                case BLOCK_BEGIN -> {
                    next();
                    if (current().kind() == Kind.NAME && endTags.contains(current().text())) return body;
                    body.add(statement());
                    expect(Kind.BLOCK_END);
                }
                default -> throw fail("unexpected " + t.describe());
            }
        }
        if (!endTags.isEmpty()) {
            throw fail("Unexpected end of template. Jinja was looking for the following tags: " + String.join(" or ", endTags) + ".");
        }
        return body;
    }

    /** The body of a block statement up to one of the end tags; with drop, the end tag's name is consumed. */
    private List<Stmt> statements(Set<String> endTags, boolean drop) {
        skipOperator(":");
        expect(Kind.BLOCK_END);
        List<Stmt> body = subparse(endTags);
        if (current().kind() == Kind.EOF) {
            throw fail("Unexpected end of template. Jinja was looking for the following tags: " + String.join(" or ", endTags) + ".");
        }
        if (drop) next();
        return body;
    }

    private Stmt statement() {
        Token t = current();
        if (t.kind() != Kind.NAME) throw fail("tag name expected");
        String tag = t.text();
        switch (tag) {
            case "for" -> {
                return parseFor();
            }
            case "if" -> {
                return parseIf();
            }
            case "set" -> {
                return parseSet();
            }
            case "macro" -> {
                return parseMacro();
            }
            case "call" -> {
                return parseCallBlock();
            }
            case "filter" -> {
                next();
                Expr filter = parseFilter(null, true);
                return new Stmt.FilterBlock(filter, statements(Set.of("endfilter"), true));
            }
            case "with" -> {
                return parseWith();
            }
            case "break", "continue" -> {
                next();
                if (loopDepth == 0) throw fail("'" + tag + "' outside loop");
                return tag.equals("break") ? new Stmt.Break() : new Stmt.Continue();
            }
            case "generation", "autoescape", "block" -> {
                next();
                if (tag.equals("autoescape")) parseExpression(true);
                String blockName = tag.equals("block") ? expectAnyName() : null;
                if (tag.equals("block")) {
                    skipName("scoped");
                    skipName("required");
                }
                List<Stmt> body = statements(Set.of("end" + tag), true);
                if (blockName != null) skipName(blockName);
                return new Stmt.Scope(body);
            }
            case "print" -> {
                next();
                return new Stmt.Print(parseTuple(false, true, Set.of(), false));
            }
            case "include", "import", "from", "extends" -> {
                next();
                while (current().kind() != Kind.BLOCK_END && current().kind() != Kind.EOF) next();
                return new Stmt.NeedsLoader();
            }
            default -> throw fail("Encountered unknown tag '" + tag + "'.");
        }
    }

    private Stmt parseFor() {
        next();
        Stmt.Target target = assignTarget(Set.of("in"), false);
        expectName("in");
        Expr iterable = parseTuple(false, false, Set.of("recursive"), false);
        Expr filter = skipName("if") ? parseExpression(true) : null;
        boolean recursive = skipName("recursive");
        loopDepth++;
        List<Stmt> body = statements(Set.of("endfor", "else"), false);
        loopDepth--;
        List<Stmt> otherwise = List.of();
        if (next().text().equals("else")) otherwise = statements(Set.of("endfor"), true);
        return new Stmt.For(target, iterable, filter, recursive, body, otherwise);
    }

    private Stmt parseIf() {
        next();
        List<Expr> tests = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        List<Stmt> otherwise = List.of();
        tests.add(parseTuple(false, false, Set.of(), false));
        while (true) {
            bodies.add(statements(Set.of("elif", "else", "endif"), false));
            String tag = next().text();
            if (tag.equals("elif")) {
                tests.add(parseTuple(false, false, Set.of(), false));
            } else {
                if (tag.equals("else")) otherwise = statements(Set.of("endif"), true);
                break;
            }
        }
        return new Stmt.If(tests, bodies, otherwise);
    }

    private Stmt parseSet() {
        next();
        Stmt.Target target;
        if (current().kind() == Kind.NAME && look().isOperator(".")) {
            String ns = next().text();
            next();
            target = new Stmt.Target(ns, expectAnyName(), null);
        } else {
            target = assignTarget(Set.of(), false);
        }
        if (skipOperator("=")) return new Stmt.Set(target, parseTuple(false, true, Set.of(), false));
        Expr filter = current().isOperator("|") ? parseFilter(null, false) : null;
        return new Stmt.SetBlock(target, filter, statements(Set.of("endset"), true));
    }

    private Stmt parseWith() {
        next();
        List<Stmt.Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (current().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) expectOperator(",");
            targets.add(assignTarget(Set.of(), false));
            expectOperator("=");
            values.add(parseExpression(true));
        }
        return new Stmt.With(targets, values, statements(Set.of("endwith"), true));
    }

    private Stmt parseMacro() {
        next();
        String name = expectAnyName();
        List<String> parameters = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        signature(parameters, defaults);
        return new Stmt.MacroDefinition(macroBody(name, parameters, defaults, "endmacro"));
    }

    private Stmt.MacroSpec macroBody(String name, List<String> parameters, List<Expr> defaults, String endTag) {
        macros.push(new boolean[3]);
        int outerLoops = loopDepth;
        loopDepth = 0;
        List<Stmt> body = statements(Set.of(endTag), true);
        loopDepth = outerLoops;
        boolean[] reads = macros.pop();
        return new Stmt.MacroSpec(name, parameters, defaults, body, reads[0], reads[1], reads[2]);
    }

    private void signature(List<String> parameters, List<Expr> defaults) {
        expectOperator("(");
        while (!current().isOperator(")")) {
            if (!parameters.isEmpty()) expectOperator(",");
            parameters.add(expectAnyName());
            if (skipOperator("=")) defaults.add(parseExpression(true));
            else if (!defaults.isEmpty()) throw fail("non-default argument follows default argument");
        }
        expectOperator(")");
    }

    private Stmt parseCallBlock() {
        next();
        List<String> parameters = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (current().isOperator("(")) signature(parameters, defaults);
        Expr call = parseExpression(true);
        if (!(call instanceof Expr.Call c)) throw fail("expected call");
        return new Stmt.CallBlock(c, macroBody("caller", parameters, defaults, "endcall"));
    }

    /** A name or a tuple of names (for loops, set, with). */
    private Stmt.Target assignTarget(Set<String> endNames, boolean nameOnly) {
        if (nameOnly) return Stmt.Target.name(expectAnyName());
        Expr e = parseTuple(true, true, endNames, false);
        return target(e);
    }

    private Stmt.Target target(Expr e) {
        if (e instanceof Expr.Name n) return Stmt.Target.name(n.name());
        if (e instanceof Expr.TupleLiteral t) {
            List<Stmt.Target> items = new ArrayList<>();
            for (Expr item : t.items()) items.add(target(item));
            return new Stmt.Target(null, null, items);
        }
        throw fail("can't assign to " + e.getClass().getSimpleName().toLowerCase());
    }

    // ----- expressions

    private Expr parseTuple(boolean simplified, boolean withConditional, Set<String> extraEnd, boolean explicitParentheses) {
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) expectOperator(",");
            if (tupleEnd(extraEnd)) break;
            items.add(simplified ? primary() : parseExpression(withConditional));
            if (current().isOperator(",")) isTuple = true;
            else break;
        }
        if (!isTuple) {
            if (!items.isEmpty()) return items.get(0);
            if (!explicitParentheses) throw fail("Expected an expression, got " + current().describe());
        }
        return new Expr.TupleLiteral(items);
    }

    private boolean tupleEnd(Set<String> extraEnd) {
        Token t = current();
        return t.kind() == Kind.VARIABLE_END || t.kind() == Kind.BLOCK_END || t.isOperator(")")
                || (t.kind() == Kind.NAME && extraEnd.contains(t.text()));
    }

    private Expr parseExpression(boolean withConditional) {
        return withConditional ? conditional() : or();
    }

    private Expr conditional() {
        Expr expr = or();
        while (skipName("if")) {
            Expr test = or();
            Expr otherwise = skipName("else") ? conditional() : null;
            expr = new Expr.Conditional(test, expr, otherwise);
        }
        return expr;
    }

    private Expr or() {
        Expr left = and();
        while (skipName("or")) left = new Expr.Binary("or", left, and());
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (skipName("and")) left = new Expr.Binary("and", left, not());
        return left;
    }

    private Expr not() {
        if (skipName("not")) return new Expr.Unary("not", not());
        return compare();
    }

    private Expr compare() {
        Expr first = math1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = current();
            if (t.kind() == Kind.OPERATOR && COMPARE.contains(t.text())) {
                next();
                ops.add(switch (t.text()) {
                    case "==" -> "eq";
                    case "!=" -> "ne";
                    case "<" -> "lt";
                    case "<=" -> "lteq";
                    case ">" -> "gt";
                    default -> "gteq";
                });
            } else if (skipName("in")) {
                ops.add("in");
            } else if (t.isName("not") && look().isName("in")) {
                next();
                next();
                ops.add("notin");
            } else {
                break;
            }
            rest.add(math1());
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, rest);
    }

    private Expr math1() {
        Expr left = concat();
        while (current().isOperator("+") || current().isOperator("-")) {
            String op = next().text().equals("+") ? "add" : "sub";
            left = new Expr.Binary(op, left, concat());
        }
        return left;
    }

    private Expr concat() {
        List<Expr> parts = new ArrayList<>();
        parts.add(math2());
        while (skipOperator("~")) parts.add(math2());
        return parts.size() == 1 ? parts.get(0) : new Expr.Concat(parts);
    }

    private Expr math2() {
        Expr left = pow();
        while (true) {
            String op = switch (current().kind() == Kind.OPERATOR ? current().text() : "") {
                case "*" -> "mul";
                case "/" -> "div";
                case "//" -> "floordiv";
                case "%" -> "mod";
                default -> null;
            };
            if (op == null) return left;
            next();
            left = new Expr.Binary(op, left, pow());
        }
    }

    private Expr pow() {
        Expr left = unary(true);
        while (skipOperator("**")) left = new Expr.Binary("pow", left, unary(true));
        return left;
    }

    private Expr unary(boolean withFilter) {
        Expr node;
        if (skipOperator("-")) node = new Expr.Unary("neg", unary(false));
        else if (skipOperator("+")) node = new Expr.Unary("pos", unary(false));
        else node = primary();
        node = postfix(node);
        return withFilter ? filterExpression(node) : node;
    }

    private Expr primary() {
        Token t = current();
        switch (t.kind()) {
            case NAME -> {
                next();
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Const(Boolean.TRUE);
                    case "false", "False" -> new Expr.Const(Boolean.FALSE);
                    case "none", "None" -> new Expr.Const(null);
                    default -> {
                        noteRead(t.text());
                        yield new Expr.Name(t.text());
                    }
                };
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder();
                while (current().kind() == Kind.STRING) sb.append((String) next().value());
                return new Expr.Const(sb.toString());
            }
            case INTEGER, FLOAT -> {
                next();
                return new Expr.Const(t.value());
            }
            case OPERATOR -> {
                if (skipOperator("(")) {
                    Expr e = parseTuple(false, true, Set.of(), true);
                    expectOperator(")");
                    return e;
                }
                if (t.isOperator("[")) return list();
                if (t.isOperator("{")) return dict();
                throw fail("unexpected '" + t.text() + "'");
            }
            default -> throw fail("unexpected " + t.describe());
        }
    }

    /** Inside a macro body, reading varargs, kwargs or caller makes the macro accept them. */
    private void noteRead(String name) {
        int index = switch (name) {
            case "varargs" -> 0;
            case "kwargs" -> 1;
            case "caller" -> 2;
            default -> -1;
        };
        if (index >= 0) for (boolean[] m : macros) m[index] = true;
    }

    private Expr list() {
        expectOperator("[");
        List<Expr> items = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!items.isEmpty()) expectOperator(",");
            if (current().isOperator("]")) break;
            items.add(parseExpression(true));
        }
        expectOperator("]");
        return new Expr.ListLiteral(items);
    }

    private Expr dict() {
        expectOperator("{");
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!current().isOperator("}")) {
            if (!keys.isEmpty()) expectOperator(",");
            if (current().isOperator("}")) break;
            keys.add(parseExpression(true));
            expectOperator(":");
            values.add(parseExpression(true));
        }
        expectOperator("}");
        return new Expr.DictLiteral(keys, values);
    }

    private Expr postfix(Expr node) {
        while (true) {
            if (current().isOperator(".") || current().isOperator("[")) node = subscript(node);
            else if (current().isOperator("(")) node = call(node);
            else return node;
        }
    }

    private Expr filterExpression(Expr node) {
        while (true) {
            if (current().isOperator("|")) node = parseFilter(node, false);
            else if (current().isName("is")) node = test(node);
            else if (current().isOperator("(")) node = call(node);
            else return node;
        }
    }

    private Expr subscript(Expr node) {
        Token t = next();
        if (t.isOperator(".")) {
            Token attribute = next();
            if (attribute.kind() == Kind.NAME) return new Expr.GetAttr(node, attribute.text());
            if (attribute.kind() != Kind.INTEGER) throw fail("expected name or number");
            return new Expr.GetItem(node, new Expr.Const(attribute.value()));
        }
        List<Expr> args = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!args.isEmpty()) expectOperator(",");
            args.add(subscribed());
        }
        expectOperator("]");
        return new Expr.GetItem(node, args.size() == 1 ? args.get(0) : new Expr.TupleLiteral(args));
    }

    private Expr subscribed() {
        Expr start = null;
        if (current().isOperator(":")) {
            next();
        } else {
            start = parseExpression(true);
            if (!current().isOperator(":")) return start;
            next();
        }
        Expr stop = null;
        Expr step = null;
        if (!current().isOperator(":") && !current().isOperator("]") && !current().isOperator(",")) stop = parseExpression(true);
        if (skipOperator(":")) {
            if (!current().isOperator("]") && !current().isOperator(",")) step = parseExpression(true);
        }
        return new Expr.Slice(start, stop, step);
    }

    private Expr call(Expr function) {
        int line = current().line();
        return new Expr.Call(function, callArguments(), line);
    }

    private Expr.Arguments callArguments() {
        expectOperator("(");
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        Expr star = null;
        Expr starStar = null;
        boolean requireComma = false;
        while (!current().isOperator(")")) {
            if (requireComma) {
                expectOperator(",");
                if (current().isOperator(")")) break;
            }
            if (skipOperator("*")) {
                if (star != null || starStar != null) throw fail("invalid syntax for function call expression");
                star = parseExpression(true);
            } else if (skipOperator("**")) {
                if (starStar != null) throw fail("invalid syntax for function call expression");
                starStar = parseExpression(true);
            } else if (current().kind() == Kind.NAME && look().isOperator("=")) {
                if (starStar != null) throw fail("invalid syntax for function call expression");
                names.add(next().text());
                next();
                values.add(parseExpression(true));
            } else {
                if (star != null || starStar != null || !names.isEmpty()) throw fail("invalid syntax for function call expression");
                positional.add(parseExpression(true));
            }
            requireComma = true;
        }
        expectOperator(")");
        return new Expr.Arguments(positional, names, values, star, starStar);
    }

    /** |name(args) chains; with inline the first filter has no leading "|" (filter blocks). */
    private Expr parseFilter(Expr node, boolean inline) {
        while (current().isOperator("|") || inline) {
            if (!inline) next();
            int line = current().line();
            String name = dottedName();
            Expr.Arguments args = current().isOperator("(") ? callArguments() : Expr.Arguments.NONE;
            node = new Expr.Filter(node, name, args, line);
            inline = false;
        }
        return node;
    }

    private String dottedName() {
        StringBuilder name = new StringBuilder(expectAnyName());
        while (skipOperator(".")) name.append('.').append(expectAnyName());
        return name.toString();
    }

    private Expr test(Expr node) {
        next();
        boolean negated = skipName("not");
        int line = current().line();
        String name = dottedName();
        Expr.Arguments args = Expr.Arguments.NONE;
        Token t = current();
        if (t.isOperator("(")) {
            args = callArguments();
        } else if ((t.kind() == Kind.NAME || t.kind() == Kind.STRING || t.kind() == Kind.INTEGER || t.kind() == Kind.FLOAT
                || (t.kind() == Kind.OPERATOR && PRIMARY_START.contains(t.text())))
                && !t.isName("else") && !t.isName("or") && !t.isName("and")) {
            if (t.isName("is")) throw fail("You cannot chain multiple tests with is");
            args = new Expr.Arguments(List.of(postfix(primary())), List.of(), List.of(), null, null);
        }
        Expr test = new Expr.Test(node, name, args, line);
        return negated ? new Expr.Unary("not", test) : test;
    }
}
