package dev.srr.tokenizer.jinja;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The loop variable of a for loop: index, index0, revindex, revindex0, first, last, length, depth, depth0,
 * previtem, nextitem, cycle(...), changed(...); in a recursive loop, loop(items) renders the body again one
 * level deeper.
 */
final class LoopContext implements PyCallable {
    private final List<Object> items;
    private final int depth;
    private final Function<Object, String> recurse;
    int index0;
    private Object lastChanged = NEVER;
    private static final Object NEVER = new Object();

    LoopContext(List<Object> items, int depth, Function<Object, String> recurse) {
        this.items = items;
        this.depth = depth;
        this.recurse = recurse;
    }

    Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> (long) depth;
            case "depth0" -> (long) depth - 1;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : new Undefined("there is no previous item");
            case "nextitem" -> index0 < n - 1 ? items.get(index0 + 1) : new Undefined("there is no next item");
            case "cycle" -> (PyCallable) (args, kwargs) -> {
                if (args.isEmpty()) throw TemplateException.runtime("no items for cycling given");
                return args.get(index0 % args.size());
            };
            case "changed" -> (PyCallable) (args, kwargs) -> {
                Object value = args.size() == 1 ? args.get(0) : new PyTuple(args);
                boolean changed = lastChanged == NEVER || !PyOps.equal(lastChanged, value);
                lastChanged = value;
                return changed;
            };
            default -> PyMethods.NOT_FOUND;
        };
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        if (recurse == null) {
            throw TemplateException.runtime("The loop must have the 'recursive' marker to be called recursively.");
        }
        if (args.size() != 1) throw TemplateException.runtime("loop() takes exactly one argument");
        return recurse.apply(args.get(0));
    }

    @Override
    public String describe() {
        return "LoopContext " + (index0 + 1) + "/" + items.size();
    }
}
