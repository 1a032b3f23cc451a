#!/usr/bin/env python3
"""Parameter counts of every template and reference graph, built as real PyTorch modules.

Usage: /usr/bin/python3 scripts/reference/param_counts.py [--out test/fixtures/project/param_counts.json]
Needs Debian's python3-torch. Reads resources/templates/*.json and test/fixtures/project/reference-graphs.json,
infers each block's input width here (independently of the TypeScript inference), builds the block's
PyTorch counterpart and counts its parameters with numel().

Where the studio differs ON PURPOSE: it follows the Keras/tfjs layout, in which an Elman RNN, an LSTM and a
GRU with resetAfter=false have ONE bias vector per layer and direction, while PyTorch's nn.RNN/LSTM/GRU
always have two (bias_ih and bias_hh). For each block the fixture records `torch` (PyTorch's count) and
`torch_extra_bias` (the numel of PyTorch's bias_hh_* tensors that the studio does not have). The test
asserts studio == torch - torch_extra_bias for every block. A GRU with resetAfter=true keeps both biases
(Keras bias [2, 3H]), so its extra is 0 and the counts are equal.
"""
import argparse, glob, json, os
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
RNN = {"lstm": nn.LSTM, "gru": nn.GRU, "elman": nn.RNN}


def rnn_module(layer, width, bidirectional=False, num_layers=1):
    kind, p = layer["kind"], layer.get("params", {})
    units = p.get("units", 64)
    kw = {"nonlinearity": p.get("activation", "tanh")} if kind == "elman" else {}
    module = RNN[kind](width, units, num_layers=num_layers, bidirectional=bidirectional, batch_first=True, **kw)
    merged = not (kind == "gru" and p.get("resetAfter", True))
    extra = sum(t.numel() for n, t in module.named_parameters() if n.startswith("bias_hh")) if merged else 0
    return module, extra, units


class StateSpace(nn.Module):
    """The studio's diagonal linear recurrence: h = a*h + B x, y = Re(C h) + d*x (a from log_rate, and
    with a complex diagonal a frequency and imaginary B and C; with a learned step, log_step)."""

    def __init__(self, width, n, complex_=False, learn_step=False):
        super().__init__()
        self.log_rate = nn.Parameter(torch.zeros(n))
        self.B = nn.Parameter(torch.zeros(width, n))
        self.C = nn.Parameter(torch.zeros(n, width))
        self.d = nn.Parameter(torch.zeros(width))
        if learn_step:
            self.log_step = nn.Parameter(torch.zeros(n))
        if complex_:
            self.frequency = nn.Parameter(torch.zeros(n))
            self.B_imag = nn.Parameter(torch.zeros(width, n))
            self.C_imag = nn.Parameter(torch.zeros(n, width))


class Decoder(nn.Module):
    """A recurrent stack started from an encoder state; a Linear bridge (tanh for h; a second one for an
    LSTM's c) when the state is not as wide as the decoder."""

    def __init__(self, rnn, state_width, units, lstm):
        super().__init__()
        self.rnn = rnn
        if state_width != units:
            self.bridge = nn.Linear(state_width, units)
            if lstm:
                self.bridge_cell = nn.Linear(state_width, units)


class AdditiveAttention(nn.Module):
    def __init__(self, q, m, a):
        super().__init__()
        self.Wq, self.Wm, self.v = nn.Linear(q, a, bias=False), nn.Linear(m, a, bias=False), nn.Linear(a, 1, bias=False)


class AttentionPooling(nn.Module):
    def __init__(self, f, a):
        super().__init__()
        self.W, self.v = nn.Linear(f, a), nn.Linear(a, 1, bias=False)


def block(node, widths_in, state_width=None):
    """(module or None, extra_bias, {output port: width})"""
    k, p = node["kind"], node.get("params", {})
    w = widths_in[0] if widths_in else None
    if k == "input":
        if p.get("role") == "features":
            return None, 0, {"out": p["features"]}
        return None, 0, {"out": "tokens"}
    if k == "embedding":
        v, d = p.get("vocabularySize", 64), p.get("dimension", 32)
        if p.get("oneHot"):
            return None, 0, {"out": v}
        return nn.Embedding(v, d), 0, {"out": d}
    if k in RNN:
        m, extra, units = rnn_module({"kind": k, "params": p}, w)
        return m, extra, {"out": units, "state": units}
    if k == "bidirectional":
        m, extra, units = rnn_module(p["layer"], w, bidirectional=True)
        return m, extra, {"out": units * 2 if p.get("merge", "concat") == "concat" else units}
    if k == "stack":
        m, extra, units = rnn_module(p["layer"], w, num_layers=p.get("layers", 2))
        return m, extra, {"out": units, "state": units}
    if k == "encoder":
        bi = p.get("bidirectional", False)
        m, extra, units = rnn_module(p["layer"], w, bidirectional=bi, num_layers=p.get("layers", 1))
        width = units * 2 if bi else units
        return m, extra, {"memory": width, "state": width}
    if k == "decoder":
        m, extra, units = rnn_module(p["layer"], w, num_layers=p.get("layers", 1))
        return Decoder(m, state_width, units, p["layer"]["kind"] == "lstm"), extra, {"out": units, "state": units}
    if k == "attention":
        q, mem = widths_in
        score = p.get("score", "additive")
        m = AdditiveAttention(q, mem, p.get("units", 64)) if score == "additive" else (nn.Linear(mem, q, bias=False) if score == "general" else None)
        return m, 0, {"context": mem}
    if k == "self-attention":
        layer = nn.TransformerEncoderLayer(w, p.get("heads", 4), p.get("feedForward", 128), batch_first=True)
        if p.get("positionalEncoding", "sinusoidal") == "learned":
            layer = nn.ModuleList([layer, nn.Embedding(p.get("maxLength", 512), w)])
        return layer, 0, {"out": w}
    if k == "state-space":
        return StateSpace(w, p.get("stateSize", 32), p.get("diagonal", "real") == "complex", p.get("learnStep", False)), 0, {"out": w}
    if k == "pooling":
        m = AttentionPooling(w, p.get("units", 32)) if p.get("mode", "last") == "attention" else None
        return m, 0, {"out": w}
    if k in ("dense", "head"):
        return nn.Linear(w, p.get("units", 64 if k == "dense" else 2)), 0, {"out": p.get("units", 64 if k == "dense" else 2)}
    if k == "dropout":
        return None, 0, {"out": w}
    if k == "concatenate":
        return None, 0, {"out": sum(widths_in)}
    if k == "add":
        return None, 0, {"out": w}
    raise ValueError("unknown kind " + k)


INPUT_ORDER = {"attention": ["query", "memory"]}


def count(graph):
    nodes = {n["id"]: n for n in graph["nodes"]}
    done, out_widths, result = set(), {}, {}
    while len(done) < len(nodes):
        for nid, node in nodes.items():
            if nid in done:
                continue
            incoming = [e for e in graph["edges"] if e["to"]["node"] == nid]
            if any(e["from"]["node"] not in done for e in incoming):
                continue
            order = INPUT_ORDER.get(node["kind"])
            if order:
                incoming.sort(key=lambda e: order.index(e["to"]["port"]))
            widths = [out_widths[e["from"]["node"]][e["from"]["port"]] for e in incoming if e["to"]["port"] != "state"]
            states = [out_widths[e["from"]["node"]][e["from"]["port"]] for e in incoming if e["to"]["port"] == "state"]
            module, extra, outs = block(node, widths, states[0] if states else None)
            torch_count = sum(t.numel() for t in module.parameters()) if module is not None else 0
            result[nid] = {"kind": node["kind"], "torch": torch_count, "torch_extra_bias": extra}
            out_widths[nid] = outs
            done.add(nid)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "test", "fixtures", "project", "param_counts.json"))
    a = ap.parse_args()
    graphs = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "resources", "templates", "*.json"))):
        doc = json.load(open(path))
        graphs["template:" + doc["template"]["id"]] = doc["graph"]
    for ref in json.load(open(os.path.join(ROOT, "test", "fixtures", "project", "reference-graphs.json"))):
        graphs["reference:" + ref["name"]] = ref["graph"]
    out = {"torch_version": torch.__version__, "graphs": {}}
    for name, graph in graphs.items():
        nodes = count(graph)
        total = sum(n["torch"] for n in nodes.values())
        extra = sum(n["torch_extra_bias"] for n in nodes.values())
        out["graphs"][name] = {"torch_total": total, "torch_extra_bias_total": extra, "nodes": nodes}
        print("%-45s torch %8d  extra bias %6d  studio should be %8d" % (name, total, extra, total - extra))
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
