"""Runs the exported data.py Tokenizer on texts, for the parity test with the studio's tokenizers.

usage: /usr/bin/python3 scripts/reference/export_tokenizer.py RUNTIME_DIR CASES.json
CASES.json: [{"spec": {...}, "vocabulary": [...], "texts": [...]}, ...]; prints, per case and text,
{"ids": [...], "tokens": [displayed tokens], "decoded": "..."} as JSON.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from data import Tokenizer  # noqa: E402

with open(sys.argv[2], encoding="utf-8") as f:
    cases = json.load(f)
out = []
for case in cases:
    t = Tokenizer(case["spec"], case["vocabulary"])
    out.append([{"ids": t.encode(x), "tokens": [t.display(s) for s in t.tokenize(x)], "decoded": t.decode(t.encode(x))} for x in case["texts"]])
print(json.dumps(out, ensure_ascii=False))
