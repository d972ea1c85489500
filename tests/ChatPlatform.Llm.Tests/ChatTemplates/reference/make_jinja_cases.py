"""Renders small Jinja snippets with Python's jinja2 configured exactly as transformers configures it for chat
templates (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, its tojson, raise_exception
and strftime_now) and writes jinja_cases.json: the expected output of each snippet, or the fact that it fails.

Run: python3 make_jinja_cases.py   (needs jinja2 3.x: `pip install jinja2` or Debian's python3-jinja2)
"""
import json
import sys
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment


def make_env():
    # Copied from transformers/utils/chat_template_utils.py (_compile_jinja_template), minus AssistantTracker.
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


MSGS = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi\nthere"},
    {"role": "assistant", "content": "Hello!"},
]
TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather ☀ in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer", "default": 1}}, "required": ["city"]},
    },
}

# (name, template, variables). Grouped by topic; every one is rendered by jinja2 to get the expected text.
CASES = [
    # --- whitespace control and the trim_blocks / lstrip_blocks environment ---
    ("ws.trim_blocks", "{% if true %}\nyes\n{% endif %}\nafter", {}),
    ("ws.lstrip_blocks", "    {% if true %}\n    yes\n    {% endif %}\n", {}),
    ("ws.lstrip_not_variables", "  {{ 'x' }}\n  {% if true %}y{% endif %}", {}),
    ("ws.minus_left", "a   \n  {%- if true %}b{% endif %}", {}),
    ("ws.minus_right", "{% if true -%}   \n\n  b{% endif %}", {}),
    ("ws.variable_minus", "a  {{- 'b' -}}  \n c", {}),
    ("ws.plus_disables_lstrip", "  {%+ if true %}x{% endif %}", {}),
    ("ws.plus_disables_trim", "{% if true +%}\nx{% endif %}", {}),
    ("ws.comment", "a {# note #} b\n  {# own line #}\nc", {}),
    ("ws.comment_minus", "a  {#- note -#}  b", {}),
    ("ws.trailing_newline_dropped", "line\n", {}),
    ("ws.crlf", "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\n", {}),
    ("ws.for_lines", "{% for m in messages %}\n  {{ m.role }}: {{ m.content }}\n{% endfor %}", {"messages": MSGS}),
    ("ws.nested_indented", "{%- for m in messages %}\n    {%- if m.role == 'user' %}\n        {{- 'U:' + m.content }}\n    {%- else %}\n        {{- 'O:' + m.content }}\n    {%- endif %}\n{%- endfor %}", {"messages": MSGS}),
    ("ws.raw", "{% raw %}{{ not parsed }} {% if %}{% endraw %}", {}),
    ("ws.text_with_braces", "a { b } {x} c", {}),
    # --- literals and printing ---
    ("lit.strings", "{{ 'single' }} {{ \"double\" }} {{ 'it\\'s' }} {{ \"say \\\"hi\\\"\" }} {{ 'a' 'b' }}", {}),
    ("lit.escapes", "{{ 'tab\\there\\nnew\\\\back \\u00e9 \\x41 \\q' }}", {}),
    ("lit.numbers", "{{ 42 }} {{ -7 }} {{ 1.5 }} {{ 2.0 }} {{ 1e3 }} {{ 1_000 }} {{ 0.1 + 0.2 }}", {}),
    ("lit.float_repr", "{{ 1e16 }} {{ 1e-5 }} {{ 1/3 }} {{ 123456789.123 }} {{ 1e15 }} {{ 0.0001 }} {{ 2.5e-7 }} {{ 1e22 }}", {}),
    ("lit.constants", "{{ true }} {{ false }} {{ none }} {{ True }} {{ False }} {{ None }}", {}),
    ("lit.list_repr", "{{ [1, 'a', none, true, 1.5, [2]] }}", {}),
    ("lit.tuple_repr", "{{ (1, 'b') }} {{ (1,) }} {{ () }}", {}),
    ("lit.dict_repr", "{{ {'a': 1, 'b': 'it\\'s', 'c': none} }}", {}),
    ("lit.dict_in_braces", "{{ {'a': {'b': 1}} }}", {}),
    ("lit.string_braces", "{{ '{{ not a tag }}' }}", {}),
    ("lit.unicode", "{{ 'héllo wörld ✓ 😀 日本' }}", {}),
    # --- operators ---
    ("op.arith", "{{ 1 + 2 * 3 - 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }}", {}),
    ("op.float_arith", "{{ 1 + 1.5 }} {{ 5 / 2 }} {{ 4 / 2 }} {{ 2.5 // 1 }} {{ -5.5 % 2 }} {{ 2 ** -1 }}", {}),
    ("op.concat", "{{ 'a' ~ 1 ~ none ~ true ~ [1] }} {{ 'a' + 'b' }} {{ [1] + [2, 3] }}", {}),
    ("op.concat_undefined", "[{{ missing ~ 'x' }}]", {}),
    ("op.repeat", "{{ 'ab' * 3 }} {{ [0] * 3 }} {{ 2 * 'x' }}", {}),
    ("op.compare", "{{ 1 < 2 }} {{ 2 <= 2 }} {{ 'abc' < 'abd' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' != 'b' }} {{ none == none }}", {}),
    ("op.chained_compare", "{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }}", {}),
    ("op.in", "{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'cat' }} {{ 3 not in [1] }} {{ 'x' in missing }}", {}),
    ("op.logic", "{{ true and 'x' }} {{ false or 'y' }} {{ none or [] }} {{ not 0 }} {{ not 'a' }} {{ 0 and 1 }} {{ '' or 0 }}", {}),
    ("op.precedence", "{{ not 1 == 2 }} {{ 'a' + 'b' ~ 'c' }} {{ 'x' if 1 > 2 else 'y' }} {{ (1 + 2) * 3 }} {{ 2 * 3 ** 2 }}", {}),
    ("op.concat_binds_tighter_than_plus", "{{ 1 + 2 ~ 3 }}", {}),
    ("op.filter_binds_tighter", "{{ 'a' + ' b ' | trim + 'c' }} {{ -3|abs }} {{ 'ab' ~ 'c' | upper }}", {}),
    ("op.inline_if_no_else", "[{{ 'a' if false }}]", {}),
    ("op.undefined_eq", "{{ missing == other }} {{ missing == none }} {{ missing != 1 }}", {}),
    ("op.add_undefined_fails", "{{ missing + 'x' }}", {}),
    ("op.add_str_int_fails", "{{ 'a' + 1 }}", {}),
    ("op.div_zero_fails", "{{ 1 / 0 }}", {}),
    # --- variables, attributes, subscripts, slices ---
    ("access.attr_and_item", "{{ m.role }} {{ m['content'] }} {{ m.missing }}|{{ m['missing'] }}|{{ m.missing is defined }}", {"m": MSGS[0]}),
    ("access.nested", "{{ t.function.name }} {{ t['function']['parameters']['required'][0] }} {{ t.function.parameters.properties.city.type }}", {"t": TOOL}),
    ("access.index", "{{ xs[0] }} {{ xs[-1] }} {{ xs[5] }}|{{ 'abc'[1] }} {{ 'abc'[-1] }} {{ xs.0 }}", {"xs": [10, 20, 30]}),
    ("access.slice", "{{ xs[1:] }} {{ xs[:2] }} {{ xs[::-1] }} {{ xs[::2] }} {{ xs[-2:] }} {{ xs[1:-1] }} {{ 'hello'[1:3] }} {{ 'hello'[::-1] }} {{ xs[5:] }}", {"xs": [1, 2, 3, 4]}),
    ("access.slice_messages", "{% for m in messages[1:] %}{{ m.role }},{% endfor %}", {"messages": MSGS}),
    ("access.none_attr", "[{{ none.x }}] {{ none.x is defined }}", {}),
    ("access.dict_method_shadow", "{{ d['items'] }} {{ d.get('items') }}", {"d": {"items": 5}}),
    ("access.undefined_is_empty", "[{{ missing }}] {{ missing is defined }} {{ missing is undefined }} {{ missing|length }}", {}),
    ("access.unicode_index", "{{ 'é😀x'|length }} {{ 'é😀x'[1] }} {{ 'é😀x'[-1] }} {{ 'é😀x'[1:] }}", {}),
    # --- set, namespace, scoping ---
    ("set.simple", "{% set x = 1 %}{% set y = x + 1 %}{{ x }}{{ y }}", {}),
    ("set.tuple_unpack", "{% set a, b = [1, 2] %}{{ a }}-{{ b }}", {}),
    ("set.tuple_value", "{% set t = 1, 2 %}{{ t }}", {}),
    ("set.block", "{% set x %}  hi {{ 1 + 1 }}\n{% endset %}[{{ x }}]", {}),
    ("set.block_filter", "{% set x | upper %}abc{% endset %}{{ x }}", {}),
    ("set.loop_scope", "{% set x = 1 %}{% for i in range(2) %}{{ x }}{% set x = x + 1 %}{{ x }}{% endfor %}{{ x }}", {}),
    ("set.iteration_scope", "{% for i in range(3) %}{% if i == 0 %}{% set x = 'a' %}{% endif %}[{{ x }}]{% endfor %}", {}),
    ("set.if_no_scope", "{% if true %}{% set y = 2 %}{% endif %}{{ y }}", {}),
    ("set.namespace", "{% set ns = namespace(x=1, found=false) %}{% for i in range(3) %}{% set ns.x = ns.x + i %}{% if i == 1 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.x }} {{ ns.found }}", {}),
    ("set.namespace_empty", "{% set ns = namespace() %}{% set ns.index = 0 %}{% for m in messages %}{% set ns.index = ns.index + 1 %}{% endfor %}{{ ns.index }}", {"messages": MSGS}),
    ("set.namespace_dict", "{% set ns = namespace({'a': 1}) %}{{ ns.a }}", {}),
    ("set.shadow_context", "{% set messages = messages[1:] %}{{ messages|length }}", {"messages": MSGS}),
    ("set.namespace_non_ns_fails", "{% set d = {} %}{% set d.x = 1 %}", {}),
    # --- for loops ---
    ("for.loop_vars", "{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}", {}),
    ("for.prev_next", "{% for x in [1, 2, 3] %}{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }};{% endfor %}", {}),
    ("for.prev_next_defined", "{% for x in [1, 2] %}{{ loop.previtem is defined }}{{ loop.nextitem is defined }};{% endfor %}", {}),
    ("for.else", "{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1] %}{{ x }}{% else %}empty{% endfor %}", {}),
    ("for.filter", "{% for x in [1, 2, 3, 4] if x is even %}{{ x }}:{{ loop.index }}/{{ loop.length }};{% endfor %}", {}),
    ("for.dict", "{% for k in {'b': 1, 'a': 2} %}{{ k }}{% endfor %}", {}),
    ("for.items", "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}{% for k, v in {'c': 3}|items %}{{ k }}={{ v }}{% endfor %}", {}),
    ("for.nested_outer_loop", "{% for i in [1, 2] %}{% set outer = loop %}{% for j in 'ab' %}{{ outer.index }}{{ loop.index }}{{ j }} {% endfor %}{% endfor %}", {}),
    ("for.loop_depth_cycle", "{% for i in [1, 2, 3] %}{{ loop.cycle('odd', 'even') }}{{ loop.depth }}{% for j in [1] %}{{ loop.depth }}{% endfor %} {% endfor %}", {}),
    ("for.break_continue", "{% for i in range(10) %}{% if i == 1 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}", {}),
    ("for.undefined", "[{% for x in missing %}x{% endfor %}]", {}),
    ("for.range", "{{ range(3)|list }} {{ range(1, 4)|list }} {{ range(10, 0, -3)|list }} {{ range(0)|list }}", {}),
    ("for.reverse_messages", "{% for m in messages[::-1] %}{{ (messages|length - 1) - loop.index0 }}{{ m.role[0] }} {% endfor %}", {"messages": MSGS}),
    ("for.tuple_targets", "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }} {% endfor %}", {}),
    ("for.none_fails", "{% for x in none %}{% endfor %}", {}),
    ("for.range_too_big_fails", "{{ range(1000000)|length }}", {}),
    # --- if ---
    ("if.elif_else", "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}", {}),
    ("if.truthiness", "{% for v in [0, 1, '', 'a', [], [0], {}, none, 0.0] %}{% if v %}T{% else %}F{% endif %}{% endfor %}", {}),
    # --- tests ---
    ("test.types", "{{ 'x' is string }} {{ 1 is number }} {{ 1.5 is number }} {{ true is number }} {{ 1 is integer }} {{ true is integer }} {{ 1.5 is float }} {{ true is boolean }} {{ {} is mapping }} {{ [] is mapping }}", {}),
    ("test.iterable_sequence", "{{ [] is iterable }} {{ 'a' is iterable }} {{ {} is iterable }} {{ 1 is iterable }} {{ none is iterable }} {{ [] is sequence }} {{ 'a' is sequence }} {{ 1 is sequence }}", {}),
    ("test.none_defined", "{{ none is none }} {{ 0 is none }} {{ x is none }} {{ x is defined }} {{ y is defined }} {{ y is not defined }} {{ x is not none }}", {"x": None}),
    ("test.compare", "{{ 2 is eq 2 }} {{ 2 is equalto 3 }} {{ 2 is ne 3 }} {{ 1 is lt 2 }} {{ 3 is gt 2 }} {{ 2 is ge 2 }} {{ 2 is le 1 }} {{ 'a' is in 'abc' }}", {}),
    ("test.numbers", "{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }}", {}),
    ("test.misc", "{{ true is true }} {{ 1 is true }} {{ false is false }} {{ none is sameas none }} {{ 'ab' is lower }} {{ 'AB' is upper }} {{ range is callable }} {{ 'upper' is filter }} {{ 'odd' is test }}", {}),
    ("test.precedence", "{{ not x is defined }} {{ x is defined and x is not none }} {{ 'y' if x is none else 'n' }}", {"x": None}),
    # --- filters ---
    ("filter.trim", "[{{ '  a b \\n'|trim }}] [{{ 'xxaxx'|trim('x') }}]", {}),
    ("filter.case", "{{ 'hello WORLD'|upper }} {{ 'Hello'|lower }} {{ 'hello-world foo(bar)'|title }} {{ 'hELLO wORLD'|capitalize }} {{ 'héllo'|upper }}", {}),
    ("filter.length", "{{ 'abc'|length }} {{ [1, 2]|length }} {{ {'a': 1}|length }} {{ [1, 2]|count }} {{ messages|length }}", {"messages": MSGS}),
    ("filter.first_last", "{{ [1, 2, 3]|first }} {{ [1, 2, 3]|last }} {{ 'abc'|first }} {{ 'abc'|last }} [{{ []|first }}]", {}),
    ("filter.default", "{{ missing|default('d') }} {{ ''|default('d') }} {{ ''|default('d', true) }} {{ none|default('d') }} {{ 0|d('z', boolean=true) }} {{ 'v'|default('d') }}", {}),
    ("filter.join", "{{ [1, 2, 3]|join }} {{ ['a', 'b']|join(', ') }} {{ [{'n': 'x'}, {'n': 'y'}]|join('+', attribute='n') }} {{ 'abc'|join('-') }} {{ [none, true]|join(',') }}", {}),
    ("filter.list_string", "{{ 'ab'|list }} {{ {'a': 1}|list }} {{ (1, 2)|list }} {{ 42|string }} {{ none|string }} {{ [1]|string }}", {}),
    ("filter.replace", "{{ 'a-b-c'|replace('-', '+') }} {{ 'a-b-c'|replace('-', '', 1) }} {{ 'aaa'|replace('a', 'bb') }}", {}),
    ("filter.int_float", "{{ '42'|int + 1 }} {{ '4.5'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ 3.9|int }} {{ '3.5'|float }} {{ 5|float }} {{ 'x'|float }} {{ true|int }} {{ ' 12 '|int }} {{ '0x1A'|int(0, 16) }}", {}),
    ("filter.abs_round", "{{ -3|abs }} {{ -1.5|abs }} {{ 2.5|round }} {{ 3.5|round }} {{ 3|round }} {{ 3.14159|round(2) }} {{ 2.7|round(0, 'floor') }} {{ 2.1|round(0, 'ceil') }} {{ -2.5|round }}", {}),
    ("filter.items", "{% for k, v in {'x': 1, 'y': [2]}|items %}{{ k }}:{{ v }} {% endfor %}[{% for k, v in missing|items %}{% endfor %}]", {}),
    ("filter.selectattr", "{{ messages|selectattr('role', 'equalto', 'user')|list|length }} {{ messages|selectattr('role', 'eq', 'system')|map(attribute='content')|first }} {{ [{'a': 1}, {'a': 0}, {'b': 3}]|selectattr('a')|list }}", {"messages": MSGS}),
    ("filter.rejectattr", "{{ messages|rejectattr('role', 'equalto', 'system')|map(attribute='role')|join(',') }} {{ [{'a': 1}, {'b': 3}]|rejectattr('a', 'defined')|list }}", {"messages": MSGS}),
    ("filter.select_reject", "{{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3, 4]|reject('odd')|list }} {{ [0, 1, '', 'a']|select|list }} {{ [1, 5, 9]|select('gt', 4)|list }} {{ ['code_interpreter', 'x']|reject('equalto', 'code_interpreter')|join(', ') }}", {}),
    ("filter.map", "{{ ['a', 'b']|map('upper')|join(',') }} {{ messages|map(attribute='role')|list }} {{ [{'a': {'b': 1}}]|map(attribute='a.b')|list }} {{ [{'a': 1}, {}]|map(attribute='a', default=0)|list }} {{ [' a ', 'b ']|map('trim')|list }} {{ ['1', '2']|map('int')|sum }}", {"messages": MSGS}),
    ("filter.unique", "{{ ['b', 'A', 'a', 'b']|unique|list }} {{ ['b', 'A', 'a']|unique(case_sensitive=true)|list }} {{ [1, 2, 1.0]|unique|list }} {{ messages|unique(attribute='role')|map(attribute='role')|list }}", {"messages": MSGS + [{"role": "user", "content": "again"}]}),
    ("filter.sort", "{{ [3, 1, 2]|sort }} {{ [3, 1, 2]|sort(reverse=true) }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ messages|sort(attribute='role')|map(attribute='role')|list }}", {"messages": MSGS}),
    ("filter.dictsort", "{{ {'b': 1, 'a': 2}|dictsort }} {{ {'b': 1, 'a': 2}|dictsort(by='value') }} {{ {'b': 1, 'a': 2}|dictsort(reverse=true) }}", {}),
    ("filter.min_max_sum", "{{ [3, 1, 2]|max }} {{ [3, 1, 2]|min }} {{ ['b', 'A']|min }} {{ [1, 2, 3]|sum }} {{ [1.5, 2]|sum }} {{ [{'n': 2}, {'n': 3}]|sum(attribute='n') }} {{ [1]|sum(start=10) }}", {}),
    ("filter.reverse", "{{ 'abc'|reverse }} {{ [1, 2, 3]|reverse|list }}", {}),
    ("filter.batch", "{{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3]|batch(2, 'x')|list }}", {}),
    ("filter.indent", "{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}|{{ 'a\\nb'|indent('> ') }}", {}),
    ("filter.center_wordcount", "[{{ 'ab'|center(7) }}] [{{ 'abc'|center(6) }}] {{ 'one two  three'|wordcount }}", {}),
    ("filter.escape_safe", "{{ '<a href=\"x\">&\\'</a>'|e }} {{ '<b>'|escape }} {{ '<b>'|safe }}", {}),
    ("filter.format", "{{ '%s is %d years'|format('Ann', 30) }} {{ '%s%%'|format(5) }}", {}),
    ("filter.attr_pprint", "{{ m|attr('role') }} {{ [1, 'a']|pprint }}", {"m": MSGS[0]}),
    ("filter.chain", "{{ messages|map(attribute='content')|map('lower')|select('ne', 'be brief.')|join(' | ')|replace('\\n', ' ') }}", {"messages": MSGS}),
    # --- tojson (transformers' json.dumps) ---
    ("json.scalars", "{{ 1|tojson }} {{ 1.5|tojson }} {{ 1.0|tojson }} {{ 'a\"b\\\\c\\n\\t'|tojson }} {{ true|tojson }} {{ none|tojson }} {{ 1e20|tojson }}", {}),
    ("json.compact", "{{ {'a': [1, 2, {'b': none}], 'c': 'x'}|tojson }}", {}),
    ("json.unicode", "{{ 'héllo ☀ 😀 日本'|tojson }} {{ '\\u2028\\x01'|tojson }}", {}),
    ("json.indent", "{{ {'a': [1, {'b': []}], 'c': {}}|tojson(indent=2) }}", {}),
    ("json.indent4_tool", "{{ tool|tojson(indent=4) }}", {"tool": TOOL}),
    ("json.tool", "{{ tool|tojson }}", {"tool": TOOL}),
    ("json.sort_keys", "{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }}", {}),
    ("json.separators", "{{ {'a': [1, 2]}|tojson(separators=(',', ':')) }}", {}),
    ("json.ensure_ascii", "{{ 'é☀'|tojson(ensure_ascii=true) }}", {}),
    ("json.tuple_and_int_keys", "{{ (1, 'a')|tojson }} {{ {1: 'x', true: 'y'}|tojson }}", {}),
    ("json.undefined_fails", "{{ missing|tojson }}", {}),
    # --- string methods ---
    ("str.strip", "[{{ '  a  '.strip() }}] [{{ '  a  '.lstrip() }}] [{{ '  a  '.rstrip() }}] [{{ '\\n\\na\\n'.strip('\\n') }}] [{{ 'xyax'.lstrip('xy') }}]", {}),
    ("str.split", "{{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a b c'.split(' ', 1) }} {{ 'a</think>b</think>c'.split('</think>')[-1] }} {{ 'a-b-c'.rsplit('-', 1) }} {{ 'l1\\nl2\\r\\nl3'.splitlines() }}", {}),
    ("str.affixes", "{{ 'hello'.startswith('he') }} {{ 'hello'.endswith('lo') }} {{ 'hello'.startswith(('x', 'h')) }} {{ '<tool_response>x</tool_response>'.endswith('</tool_response>') }}", {}),
    ("str.case", "{{ 'hello world'.title() }} {{ 'hello-world'.title() }} {{ 'Hi There'.upper() }} {{ 'Hi There'.lower() }} {{ 'hI'.capitalize() }} {{ 'aB'.swapcase() }}", {}),
    ("str.replace_find", "{{ 'a b a'.replace('a', 'x') }} {{ 'a b a'.replace('a', 'x', 1) }} {{ 'abcb'.find('b') }} {{ 'abcb'.rfind('b') }} {{ 'abc'.find('z') }} {{ 'abab'.count('ab') }}", {}),
    ("str.join_format", "{{ ', '.join(['a', 'b']) }} {{ '{} and {}'.format('x', 1) }} {{ '{0}{1}{0}'.format('a', 'b') }} {{ 'Hi {name}'.format(name='Bo') }}", {}),
    ("str.predicates", "{{ '123'.isdigit() }} {{ 'abc'.isalpha() }} {{ 'a1'.isalnum() }} {{ '  '.isspace() }} {{ 'ab'.islower() }} {{ 'AB'.isupper() }}", {}),
    ("str.misc", "{{ '42'.zfill(5) }} [{{ 'a'.ljust(3) }}] [{{ 'a'.rjust(3, '*') }}] [{{ 'ab'.center(5, '-') }}] {{ 'prefix_x'.removeprefix('prefix_') }} {{ 'x.txt'.removesuffix('.txt') }}", {}),
    ("str.missing_method", "[{{ 'abc'.nonexistent }}] {{ 'abc'.nonexistent is defined }}", {}),
    # --- dict and list methods ---
    ("dict.methods", "{% set d = {'a': 1, 'b': none} %}{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 5) }} {{ d.keys()|list }} {{ d.values()|list }} {{ d.items()|list }} {{ 'a' in d }} {{ d['b'] is none }}", {}),
    ("dict.message_keys", "{% for m in messages %}{{ 'tool_calls' in m }}{{ m.tool_calls is defined }}{{ m.get('tool_calls', [])|length }} {% endfor %}", {"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "f", "arguments": {"a": 1}}}]}]}),
    ("list.methods", "{{ [1, 2, 1].count(1) }} {{ ['a', 'b'].index('b') }}", {}),
    ("list.append_fails", "{% set xs = [] %}{{ xs.append(1) }}", {}),
    ("dict.update_fails", "{% set d = {} %}{{ d.update({'a': 1}) }}", {}),
    # --- macros and call blocks ---
    ("macro.basic", "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bo', greeting='Hi') }} {{ greet('Cy', 'Yo') }}", {}),
    ("macro.recursive", "{% macro render(v) %}{% if v is mapping %}{% for k, x in v.items() %}{{ k }}({{ render(x) }}){% endfor %}{% else %}{{ v }}{% endif %}{% endmacro %}{{ render({'a': {'b': 1, 'c': 2}}) }}", {}),
    ("macro.varargs_kwargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}", {}),
    ("macro.call_block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ 1 + 1 }}{% endcall %}", {}),
    ("macro.call_block_args", "{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(x) each([1, 2]) %}[{{ x }}]{% endcall %}", {}),
    ("macro.scope", "{% set g = 'global' %}{% macro m() %}{% set g = 'local' %}{{ g }}{% endmacro %}{{ m() }} {{ g }}", {}),
    ("macro.whitespace", "{%- macro m(x) -%}\n    <{{ x }}>\n{%- endmacro -%}\n{{ m(1) }}\n{{ m(2) }}", {}),
    # --- filter blocks and generation ---
    ("block.filter", "{% filter upper %}abc {{ 'd' }}{% endfilter %}", {}),
    # --- raise_exception ---
    ("raise.message", "{% if messages[0].role != 'user' %}{{ raise_exception('First message must be from the user!') }}{% endif %}", {"messages": MSGS}),
    # --- syntax errors (expected: failure at parse time) ---
    ("syntax.unclosed_if", "{% if true %}x", {}),
    ("syntax.unknown_tag", "{% frobnicate %}", {}),
    ("syntax.bad_expression", "{{ 1 + }}", {}),
    ("syntax.unclosed_variable", "{{ x ", {}),
    ("syntax.unexpected_end", "{% endfor %}", {}),
    ("syntax.unterminated_string", "{{ 'abc }}", {}),
]


def main():
    env = make_env()
    out = []
    for name, source, variables in CASES:
        case = {"name": name, "template": source, "variables": variables}
        try:
            case["expected"] = env.from_string(source).render(**variables)
        except jinja2.exceptions.TemplateSyntaxError as e:
            case["error"] = "syntax"
            case["python_error"] = f"{type(e).__name__}: {e}"
        except Exception as e:  # noqa: BLE001 - any runtime failure is an expected error
            case["error"] = "render"
            case["python_error"] = f"{type(e).__name__}: {e}"
        out.append(case)
    names = [c["name"] for c in out]
    assert len(names) == len(set(names)), "duplicate case names"
    header = {"generator": "make_jinja_cases.py", "jinja2": jinja2.__version__, "python": sys.version.split()[0]}
    path = Path(__file__).with_name("jinja_cases.json")
    path.write_text(json.dumps({"about": header, "cases": out}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} cases to {path.name} ({sum('error' in c for c in out)} expected errors)")


if __name__ == "__main__":
    main()
