package dev.srr.tokenizer;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Lets chat templates call Python str methods (strip, lstrip, startswith, split, upper, ...) on strings.
 * Jinjava would otherwise call the Java methods of the same name, which differ (Java's split takes a regex
 * and drops trailing empty parts) or do not exist.
 */
final class PythonMethodResolver extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null) return null;
        Object[] p = params == null ? new Object[0] : params;
        Object result = call(s, method.toString(), p);
        if (result != NOT_HANDLED) context.setPropertyResolved(true);
        return result == NOT_HANDLED ? null : result;
    }

    private static final Object NOT_HANDLED = new Object();

    private static Object call(String s, String name, Object[] p) {
        return switch (name) {
            case "strip" -> PythonStrings.strip(s, str(p, 0), true, true);
            case "lstrip" -> PythonStrings.strip(s, str(p, 0), true, false);
            case "rstrip" -> PythonStrings.strip(s, str(p, 0), false, true);
            case "startswith" -> affix(s, p, true);
            case "endswith" -> affix(s, p, false);
            case "split" -> PythonStrings.split(s, str(p, 0), p.length > 1 ? ((Number) p[1]).intValue() : -1);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> PythonStrings.title(s);
            case "capitalize" -> PythonStrings.capitalize(s);
            case "replace" -> p.length > 2 ? replaceCount(s, str(p, 0), str(p, 1), ((Number) p[2]).intValue())
                    : s.replace(str(p, 0), str(p, 1));
            case "find" -> (long) s.indexOf(str(p, 0));
            case "count" -> (long) PythonStrings.split(s, str(p, 0), -1).size() - 1;
            case "join" -> join(s, p);
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(PythonStrings::isSpace);
            default -> NOT_HANDLED;
        };
    }

    private static String str(Object[] p, int i) {
        return p.length > i && p[i] != null ? p[i].toString() : null;
    }

    private static boolean affix(String s, Object[] p, boolean prefix) {
        Object arg = p.length > 0 ? p[0] : null;
        if (arg instanceof List<?> options) {
            for (Object o : options) if (prefix ? s.startsWith(o.toString()) : s.endsWith(o.toString())) return true;
            return false;
        }
        String a = String.valueOf(arg);
        return prefix ? s.startsWith(a) : s.endsWith(a);
    }

    private static String replaceCount(String s, String old, String replacement, int count) {
        if (count < 0 || old.isEmpty()) return s.replace(old, replacement);
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int n = 0; n < count; n++) {
            int at = s.indexOf(old, from);
            if (at < 0) break;
            sb.append(s, from, at).append(replacement);
            from = at + old.length();
        }
        return sb.append(s, from, s.length()).toString();
    }

    private static String join(String separator, Object[] p) {
        if (p.length == 0 || !(p[0] instanceof Iterable<?> items)) return null;
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Object o : items) {
            if (!first) sb.append(separator);
            sb.append(o);
            first = false;
        }
        return sb.toString();
    }

    /**
     * s[i] on a string, negative i counting from the end (Jinjava has no string subscripts). Jinjava hands
     * integer subscripts over as their decimal text.
     */
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (!(base instanceof String s) || property == null) return null;
        int index;
        try {
            index = Integer.parseInt(property.toString());
        } catch (NumberFormatException e) {
            return null;
        }
        int[] cps = s.codePoints().toArray();
        int i = index < 0 ? cps.length + index : index;
        if (i < 0 || i >= cps.length) return null;
        context.setPropertyResolved(true);
        return new String(cps, i, 1);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
