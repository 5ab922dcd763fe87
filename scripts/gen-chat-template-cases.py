#!/usr/bin/env python3
"""Renders chat-template feature cases with real Jinja2, set up the way transformers' apply_chat_template sets
it up, and writes src/test/resources/chat-templates/cases.json (the oracle for ChatTemplateFeaturesTest).
Needs only the jinja2 package. Run from the repository root: python3 scripts/gen-chat-template-cases.py"""
import json
from datetime import datetime

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment


def environment():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env


LLAMA2_CHAT = (
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
    "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
    "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if loop.index0 == 0 and system_message != false %}"
    "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
    "{% else %}{% set content = message['content'] %}{% endif %}"
    "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}"
)

STRING_METHODS = """{% for m in messages %}
{{ m.content.strip() }}|{{ m.content.lstrip() }}|{{ m.content.rstrip() }}|{{ m.content.strip(' .!') }}
{{ m.content.startswith('  He') }} {{ m.content.endswith(('!', '?')) }} {{ m.content.upper() }} {{ m.content.lower() }}
{{ m.content.split() | join('/') }}|{{ m.content.split('l') | join('/') }}|{{ m.content.split('l', 1) | length }}
{{ m.content.replace('l', 'L') }}|{{ m.content.title() }}|{{ m.content.strip().capitalize() }}|{{ m.content | trim }}|
{% endfor %}"""

SLICES_AND_LOOPS = """{%- for m in messages[1:] -%}
{{ loop.index }}/{{ loop.length }}:{{ m.role }}{% if loop.first %}(first){% endif %}{% if loop.last %}(last){% endif %}
{% endfor -%}
{%- for m in messages[::-1] %}{{ m.role[0] }}{% endfor %}
{{ messages[-1].content }}
{%- for m in messages %}{% if m.role == 'system' %}{% continue %}{% endif %}{% if loop.index > 3 %}{% break %}{% endif %}[{{ m.role }}]{% endfor %}
"""

NAMESPACE_AND_TESTS = """{%- set ns = namespace(count=0, last_user=-1, found=false) -%}
{%- for m in messages -%}
  {%- if m.role == 'user' %}{% set ns.count = ns.count + 1 %}{% set ns.last_user = loop.index0 %}{% endif -%}
  {%- if m.content is string and m.extra is not defined %}{% set ns.found = true %}{% endif -%}
{%- endfor -%}
users={{ ns.count }} last={{ ns.last_user }} found={{ ns.found }}
{{ messages[0] is mapping }} {{ messages is mapping }} {{ none is none }} {{ messages[0].missing is defined }}
{#- a comment that trims -#}
   {{- ' after comment' -}}
   {{ ' |' }}
"""

TOJSON = """{% for m in messages %}{{ m | tojson }}
{% endfor %}{{ {'tools': [{'name': 'get_weather', 'parameters': {'city': 'Zürich', 'days': 3, 'ok': true, 'x': none}}]} | tojson }}
{{ messages[0] | tojson(indent=2) }}"""

CONVERSATION = [
    {"role": "system", "content": "You are helpful."},
    {"role": "user", "content": "  Hello, world!  "},
    {"role": "assistant", "content": "Hi there. How can I help?"},
    {"role": "user", "content": "Tell me a joke\nplease ..."},
]


def main():
    env = environment()
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": None}
    cases = []
    templates = {
        "llama2-chat": LLAMA2_CHAT,
        "python-string-methods": STRING_METHODS,
        "slices-and-loop-controls": SLICES_AND_LOOPS,
        "namespace-and-tests": NAMESPACE_AND_TESTS,
        "tojson": TOJSON,
    }
    conversations = [CONVERSATION, CONVERSATION[1:], [CONVERSATION[1], CONVERSATION[1]]]
    for name, template in templates.items():
        for messages in conversations:
            for prompt in (False, True):
                case = {"name": name, "template": template, "messages": messages, "add_generation_prompt": prompt}
                try:
                    case["text"] = env.from_string(template).render(
                        messages=messages, tools=None, documents=None, add_generation_prompt=prompt, **specials)
                except jinja2.exceptions.TemplateError as e:
                    case["error"] = str(e)
                cases.append(case)
    out = {"source": "jinja2 " + jinja2.__version__ + ", configured like transformers' apply_chat_template",
           "special_tokens": specials, "cases": cases}
    with open("src/test/resources/chat-templates/cases.json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")


main()
