/**
 * The Jinja2 template language as Hugging Face chat templates use it, interpreted in Java with Jinja2 3.1's
 * behaviour under transformers' settings: {@link dev.srr.tokenizer.jinja.Template} parses and renders,
 * {@link dev.srr.tokenizer.jinja.TemplateException} reports what Jinja2 would raise.
 *
 * <p>Reading order: {@code Lexer} (tokens and whitespace control), {@code Parser} (statement and expression
 * trees, {@code Stmt} and {@code Expr}), {@code Renderer} (execution with {@code Scope}, {@code LoopContext},
 * {@code Macro}), and the Python semantics it relies on: {@code PyOps} (operators), {@code PyRepr} (str and
 * repr), {@code Access} (attributes and items), {@code PyMethods}, {@code Filters}, {@code Tests},
 * {@code PyJson}, {@code PyFormat}, {@code PyNumbers}, {@code PyStrings}.
 */
package dev.srr.tokenizer.jinja;
