"""Re-renders every case of cases.json with Python's jinja2 set up as transformers sets it up, and reports where
it disagrees with the @huggingface/transformers (JavaScript) reference. A development aid: the C# tests use
cases.json; this shows that those expectations are also what Python transformers would produce.

Run: python3 crosscheck_jinja2.py
"""
import json
from pathlib import Path

from make_jinja_cases import make_env

here = Path(__file__).parent
data = json.loads((here / "cases.json").read_text(encoding="utf-8"))
env = make_env()
files = {t["id"]: t["file"] for t in data["templates"]}
agree = differ = 0
for case in data["cases"]:
    template = env.from_string((here / files[case["template"]]).read_text(encoding="utf-8"))
    try:
        got, kind = template.render(messages=case["messages"], add_generation_prompt=case["add_generation_prompt"],
                                    **{"tools": None, "documents": None, **case["variables"]}), "expected"
    except Exception as e:  # noqa: BLE001
        got, kind = str(e), "error"
    want = case.get("expected", case.get("error"))
    want_kind = "expected" if "expected" in case else "error"
    if (got, kind) == (want, want_kind):
        agree += 1
    else:
        differ += 1
        print(f"DIFFERS {case['template']}/{case['name']}:\n  js:     {want_kind} {want!r}\n  python: {kind} {got!r}")
print(f"{agree} cases agree with jinja2, {differ} differ")
