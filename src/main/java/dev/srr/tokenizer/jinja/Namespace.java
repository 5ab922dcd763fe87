package dev.srr.tokenizer.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * namespace(...): the one mutable object a template may change across scopes ({% set ns.x = ... %}). Like
 * transformers' TemplateNamespace it refuses names starting with an underscore.
 */
final class Namespace {
    final Map<Object, Object> attributes = new LinkedHashMap<>();

    void set(Object name, Object value) {
        if (name instanceof String s && s.startsWith("_")) {
            throw TemplateException.runtime("cannot store '" + s + "' on a namespace");
        }
        attributes.put(name, value);
    }
}
