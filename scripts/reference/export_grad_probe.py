"""Gradients of the studio's loss in several PyTorch exports, one process (torch is imported once).

usage: /usr/bin/python3 scripts/reference/export_grad_probe.py DIR [DIR ...]
prints {DIR: {"loss": float, "norms": {python block name: L2 norm of its weights' gradients}}} as JSON.
Each DIR is a folder written by the PyTorch export plus probe.json: the batch with its labels (labels,
targets or targetOut). Per-block norms do not depend on layout (transposes, gate order, one bias or two),
so they compare directly with the studio's gradients. Dropout is off (eval mode), as in the studio's
forward with training false.
"""
import json
import os
import sys

import torch

torch.set_num_threads(1)
results = {}
for folder in sys.argv[1:]:
    for name in ("model", "studio_layers", "seq2seq_layers", "data", "train"):
        sys.modules.pop(name, None)
    sys.path.insert(0, folder)
    import model as exported  # noqa: E402  (a fresh import per folder)
    from train import task_loss  # noqa: E402

    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    net = exported.StudioModel().load_studio_weights(folder).eval()
    with open(os.path.join(folder, "probe.json"), encoding="utf-8") as f:
        probe = json.load(f)
    longs = ("tokens", "source", "targetIn", "targetOut", "labels")
    batch = {k: torch.tensor(v, dtype=torch.long if k in longs else torch.float32) for k, v in probe.items()}
    head = exported.HEADS[0]
    out = net(batch, logits=True)[head]
    loss = task_loss(config["task"], config.get("headActivation", "softmax"), out, batch)
    loss.backward()
    squares = {}
    for name, p in net.named_parameters():
        if p.grad is not None:
            block = name.split(".")[0]
            squares[block] = squares.get(block, 0.0) + float((p.grad.double() ** 2).sum())
    results[folder] = {"loss": float(loss), "norms": {k: v ** 0.5 for k, v in squares.items()}}
    sys.path.remove(folder)
print(json.dumps(results))
