"""Runs several PyTorch exports on their probe.json in one process (importing torch once is the slow part).

usage: /usr/bin/python3 scripts/reference/export_probe.py DIR [DIR ...]
prints {DIR: {output name: {shape, data}}} as JSON. Each DIR is a folder written by the PyTorch export.
"""
import json
import os
import sys

import torch

results = {}
for folder in sys.argv[1:]:
    for name in ("model", "studio_layers", "seq2seq_layers", "data"):
        sys.modules.pop(name, None)
    sys.path.insert(0, folder)
    import model as exported  # noqa: E402  (a fresh import per folder)

    net = exported.StudioModel().load_studio_weights(folder).eval()
    with open(os.path.join(folder, "probe.json"), encoding="utf-8") as f:
        probe = json.load(f)
    batch = {k: torch.tensor(v, dtype=torch.long if k in ("tokens", "source", "targetIn") else torch.float32) for k, v in probe.items()}
    with torch.no_grad():
        outputs = net(batch)
    results[folder] = {k: {"shape": list(v.shape), "data": v.reshape(-1).tolist()} for k, v in outputs.items()}
    sys.path.remove(folder)
print(json.dumps(results))
