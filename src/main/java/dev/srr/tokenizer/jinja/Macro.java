package dev.srr.tokenizer.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A macro defined by a template, callable like Jinja2's Macro: positional, keyword, varargs, kwargs, caller. */
final class Macro implements PyCallable {
    private final Stmt.MacroSpec spec;
    private final Scope definedIn;
    private final Renderer renderer;

    Macro(Stmt.MacroSpec spec, Scope definedIn, Renderer renderer) {
        this.spec = spec;
        this.definedIn = definedIn;
        this.renderer = renderer;
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        Map<String, Object> rest = new LinkedHashMap<>(kwargs);
        List<String> params = spec.parameters();
        Scope scope = definedIn.child();
        int firstDefault = params.size() - spec.defaults().size();
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            Object value;
            if (i < args.size()) {
                value = args.get(i);
            } else if (rest.containsKey(p)) {
                value = rest.remove(p);
            } else if (i >= firstDefault) {
                value = renderer.evaluate(spec.defaults().get(i - firstDefault), scope);
            } else {
                value = new Undefined("parameter '" + p + "' was not provided");
            }
            scope.set(p, value);
        }
        if (spec.caller()) {
            Object caller = rest.remove("caller");
            scope.set("caller", caller != null ? caller : new Undefined("No caller defined"));
        }
        if (spec.kwargs()) {
            scope.set("kwargs", new LinkedHashMap<Object, Object>(rest));
        } else if (!rest.isEmpty()) {
            throw TemplateException.runtime("macro '" + spec.name() + "' takes no keyword argument '" + rest.keySet().iterator().next() + "'");
        }
        if (spec.varargs()) {
            scope.set("varargs", new PyTuple(new ArrayList<>(args.subList(Math.min(args.size(), params.size()), args.size()))));
        } else if (args.size() > params.size()) {
            throw TemplateException.runtime("macro '" + spec.name() + "' takes not more than " + params.size() + " argument(s)");
        }
        return renderer.renderBody(spec.body(), scope);
    }

    @Override
    public String describe() {
        return "Macro '" + spec.name() + "'";
    }
}
