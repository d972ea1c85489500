#!/usr/bin/env python3
"""Writes unicode_normalization.json: NFC/NFD/NFKC/NFKD of tricky strings, by CPython's unicodedata.

An independent implementation of UAX #15 to check the managed normalizer against (the platform runs
with InvariantGlobalization, where .NET's string.Normalize does nothing).
Usage: python3 make_unicode_reference.py
"""
import json
import os
import unicodedata

INPUTS = [
    "cafe\u0301", "caf\u00e9", "A\u030a", "\u212b", "\u00c5", "\u1e9b\u0323", "q\u0307\u0323", "\u1e0b\u0323",
    "\ufb01 ligature", "\u2460\u2461", "x\u00b2", "\uff26\uff55\uff4c\uff4c\u3000width", "\u3131\u314f",
    "\ud55c\uad6d\uc5b4", "\u1100\u1161\u11a8", "\u1100\u1161", "\uac00\u11a8", "\u0958", "\u0915\u093c",
    "e\u0301\u0302\u0303\u0323", "a\u0328\u0301", "\u01c4 \u01c5", "\u2126 \u03a9", "Vi\u1ec7t Nam", "Vie\u0323\u0302t",
    "\u00bd \u2153", "\u0041\u030a\u0301", "\u0301start", "\u0f73 \u0f75", "\U0001d400\U0001d7ce", "\U0002f800",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0651\u0629", "\u304b\u3099 \u304c", "\uff76\uff9e", "plain ascii",
]


def main():
    cases = [{"text": s, **{f: unicodedata.normalize(f, s) for f in ("NFC", "NFD", "NFKC", "NFKD")}} for s in INPUTS]
    out = {"generator": f"CPython unicodedata (Unicode {unicodedata.unidata_version})", "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "unicode_normalization.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=True, indent=1)
        f.write("\n")


main()
