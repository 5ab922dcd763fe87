package dev.srr.tokenizer.jinja;

import java.util.List;
import java.util.Map;

/** Something a template can call: a global function, a bound method, a macro. */
interface PyCallable {
    Object call(List<Object> args, Map<String, Object> kwargs);

    /** How Python would name it in an error message. */
    default String describe() {
        return "function";
    }
}
