"""Reference fixtures for the fused recurrent ops (Elman, LSTM, GRU), bidirectional and stacked layers.

Cells are written out step by step in float64 with Keras-layout weights (so gradients come out in the
studio's layout), and checked against torch.nn.RNN/LSTM/GRU on unmasked input before anything is
written. Masking follows Keras: a padded step keeps state and repeats the previous output.
Loss = sum of every output times a fixed random tensor (the upstream gradient `dy` stored in the file).
"""
import json, os

import torch

B, T, IN, H = 3, 5, 3, 4
LENGTHS = [5, 3, 2]


def r(*shape, scale=0.5):
    return (torch.rand(*shape) * 2 - 1) * scale


def cell_step(kind, opts, xp, h, c, U, brec):
    """One step given the input projection xp = x·K + b (input bias). Returns new (h, c)."""
    if kind == "elman":
        a = xp + h @ U
        return (torch.tanh(a) if opts.get("activation", "tanh") == "tanh" else torch.relu(a)), c
    if kind == "lstm":
        z = xp + h @ U
        i, f, g, o = z.chunk(4, -1)
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c2 = f * c + i * g
        return o * torch.tanh(c2), c2
    if kind == "gru":
        xz, xr, xh = xp.chunk(3, -1)
        Uz, Ur, Uh = U.chunk(3, -1)
        if opts.get("resetAfter", True):
            hu = h @ U + brec
            hz, hr, hh = hu.chunk(3, -1)
            z = torch.sigmoid(xz + hz); rr = torch.sigmoid(xr + hr)
            n = torch.tanh(xh + rr * hh)
        else:
            z = torch.sigmoid(xz + h @ Uz); rr = torch.sigmoid(xr + h @ Ur)
            n = torch.tanh(xh + (rr * h) @ Uh)
        return z * h + (1 - z) * n, c
    raise ValueError(kind)


def run_layer(kind, opts, x, mask, w, h0, c0, go_backwards=False):
    K, U, b = w["kernel"], w["recurrentKernel"], w["bias"]
    if kind == "gru" and opts.get("resetAfter", True):
        bin_, brec = b[0], b[1]
    else:
        bin_, brec = b, None
    xp = x @ K + bin_
    h, c = h0, c0
    outs = [None] * x.shape[1]
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    for t in steps:
        h2, c2 = cell_step(kind, opts, xp[:, t], h, c, U, brec)
        m = mask[:, t:t + 1]
        h = m * h2 + (1 - m) * h
        c = m * c2 + (1 - m) * c
        outs[t] = h
    return torch.stack(outs, 1), h, c


def gate_count(kind):
    return {"elman": 1, "lstm": 4, "gru": 3}[kind]


def make_weights(kind, opts, n_in, units):
    G = gate_count(kind) * units
    w = {"kernel": r(n_in, G), "recurrentKernel": r(units, G)}
    w["bias"] = r(2, G) if kind == "gru" and opts.get("resetAfter", True) else r(G)
    return {k: v.requires_grad_() for k, v in w.items()}


def make_mask(masked):
    m = torch.ones(B, T)
    if masked:
        for i, n in enumerate(LENGTHS):
            m[i, n:] = 0
    return m


def to_list(t):
    return [round(v, 10) for v in t.detach().reshape(-1).tolist()]


def tensor(t):
    return {"shape": list(t.shape), "data": to_list(t)}


def check_against_torch_nn():
    """Our step-by-step cells equal torch.nn's modules (after reordering weights) on unmasked input."""
    x = r(B, T, IN); ones = torch.ones(B, T); h0 = r(B, H); c0 = r(B, H)
    # LSTM: torch gate order i,f,g,o equals Keras i,f,c,o.
    w = make_weights("lstm", {}, IN, H)
    m = torch.nn.LSTM(IN, H, batch_first=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(w["kernel"].T); m.weight_hh_l0.copy_(w["recurrentKernel"].T)
        m.bias_ih_l0.copy_(w["bias"]); m.bias_hh_l0.zero_()
    ref, (hn, cn) = m(x, (h0[None], c0[None]))
    ours, h, c = run_layer("lstm", {}, x, ones, w, h0, c0)
    assert torch.allclose(ref, ours, atol=1e-12) and torch.allclose(cn[0], c, atol=1e-12), "lstm differs from nn.LSTM"
    # GRU: torch gates r,z,n; Keras z,r,h; torch's placement is resetAfter=True.
    w = make_weights("gru", {"resetAfter": True}, IN, H)
    def reorder(m_):  # [.., 3H] z,r,h -> r,z,n
        z_, r_, h_ = m_.chunk(3, -1); return torch.cat([r_, z_, h_], -1)
    m = torch.nn.GRU(IN, H, batch_first=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(reorder(w["kernel"]).T); m.weight_hh_l0.copy_(reorder(w["recurrentKernel"]).T)
        m.bias_ih_l0.copy_(reorder(w["bias"][0])); m.bias_hh_l0.copy_(reorder(w["bias"][1]))
    ref, _ = m(x, h0[None])
    ours, _, _ = run_layer("gru", {"resetAfter": True}, x, ones, w, h0, c0)
    assert torch.allclose(ref, ours, atol=1e-12), "gru differs from nn.GRU"
    for act in ("tanh", "relu"):
        w = make_weights("elman", {"activation": act}, IN, H)
        m = torch.nn.RNN(IN, H, batch_first=True, nonlinearity=act)
        with torch.no_grad():
            m.weight_ih_l0.copy_(w["kernel"].T); m.weight_hh_l0.copy_(w["recurrentKernel"].T)
            m.bias_ih_l0.copy_(w["bias"]); m.bias_hh_l0.zero_()
        ref, _ = m(x, h0[None])
        ours, _, _ = run_layer("elman", {"activation": act}, x, ones, w, h0, c0)
        assert torch.allclose(ref, ours, atol=1e-12), "elman %s differs from nn.RNN" % act
    print("step-by-step cells match torch.nn.RNN / LSTM / GRU")


def layer_fixture(kind, opts, masked, go_backwards=False, with_state=True):
    x = r(B, T, IN).requires_grad_()
    mask = make_mask(masked)
    w = make_weights(kind, opts, IN, H)
    h0 = (r(B, H) if with_state else torch.zeros(B, H)).requires_grad_()
    c0 = (r(B, H) if with_state else torch.zeros(B, H)).requires_grad_()
    seq, h, c = run_layer(kind, opts, x, mask, w, h0, c0, go_backwards)
    dy_seq, dy_h, dy_c = r(B, T, H, scale=1), r(B, H, scale=1), r(B, H, scale=1)
    loss = (seq * dy_seq).sum() + (h * dy_h).sum() + ((c * dy_c).sum() if kind == "lstm" else 0)
    loss.backward()
    out = {"kind": kind, "params": opts, "goBackwards": go_backwards,
           "x": tensor(x), "mask": tensor(mask), "h0": tensor(h0),
           "weights": {k: tensor(v) for k, v in w.items()},
           "dySequence": tensor(dy_seq), "dyH": tensor(dy_h),
           "sequence": tensor(seq), "h": tensor(h),
           "grads": {"x": tensor(x.grad), "h0": tensor(h0.grad), **{k: tensor(v.grad) for k, v in w.items()}}}
    if kind == "lstm":
        out.update({"c0": tensor(c0), "dyC": tensor(dy_c), "c": tensor(c)})
        out["grads"]["c0"] = tensor(c0.grad)
    return out


def merge(mode, a, b):
    return {"concat": lambda: torch.cat([a, b], -1), "sum": lambda: a + b,
            "average": lambda: (a + b) / 2, "multiply": lambda: a * b}[mode]()


def bidirectional_fixture(kind, opts, mode):
    x = r(B, T, IN).requires_grad_()
    mask = make_mask(True)
    wf, wb = make_weights(kind, opts, IN, H), make_weights(kind, opts, IN, H)
    z = torch.zeros(B, H)
    sf, _, _ = run_layer(kind, opts, x, mask, wf, z, z)
    sb, _, _ = run_layer(kind, opts, x, mask, wb, z, z, go_backwards=True)
    y = merge(mode, sf, sb)
    dy = r(*y.shape, scale=1)
    (y * dy).sum().backward()
    return {"kind": kind, "params": opts, "merge": mode, "x": tensor(x), "mask": tensor(mask),
            "forward": {k: tensor(v) for k, v in wf.items()}, "backward": {k: tensor(v) for k, v in wb.items()},
            "dy": tensor(dy), "output": tensor(y),
            "grads": {"x": tensor(x.grad), **{"forward/" + k: tensor(v.grad) for k, v in wf.items()},
                      **{"backward/" + k: tensor(v.grad) for k, v in wb.items()}}}


def stack_fixture(kind, opts, residual):
    """Two layers: IN -> H, then H -> H; with residual the second adds its input to its output."""
    x = r(B, T, IN).requires_grad_()
    mask = make_mask(True)
    w1, w2 = make_weights(kind, opts, IN, H), make_weights(kind, opts, H, H)
    z = torch.zeros(B, H)
    s1, _, _ = run_layer(kind, opts, x, mask, w1, z, z)
    s2, h2, _ = run_layer(kind, opts, s1, mask, w2, z, z)
    y = s2 + s1 if residual else s2
    dy = r(*y.shape, scale=1)
    (y * dy).sum().backward()
    return {"kind": kind, "params": opts, "residual": residual, "x": tensor(x), "mask": tensor(mask),
            "layers": [{k: tensor(v) for k, v in w1.items()}, {k: tensor(v) for k, v in w2.items()}],
            "dy": tensor(dy), "output": tensor(y),
            "grads": {"x": tensor(x.grad), **{"0/" + k: tensor(v.grad) for k, v in w1.items()},
                      **{"1/" + k: tensor(v.grad) for k, v in w2.items()}}}


def write_fixtures(out_dir):
    """Called by torch_fixtures.py with test/fixtures/torch/recurrent."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        fixtures = build()
    finally:
        torch.set_default_dtype(before)
    os.makedirs(out_dir, exist_ok=True)
    for name, data in sorted(fixtures.items()):
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(data, f, separators=(",", ":"))


def build():
    torch.manual_seed(4)
    check_against_torch_nn()
    out = {}
    layers = [("elman-tanh", "elman", {"activation": "tanh"}), ("elman-relu", "elman", {"activation": "relu"}),
              ("lstm", "lstm", {}), ("gru-reset-after", "gru", {"resetAfter": True}),
              ("gru-reset-before", "gru", {"resetAfter": False})]
    for name, kind, opts in layers:
        out["layer-" + name] = layer_fixture(kind, opts, masked=False)
        out["layer-" + name + "-masked"] = layer_fixture(kind, opts, masked=True)
        out["layer-" + name + "-masked-backwards"] = layer_fixture(kind, opts, masked=True, go_backwards=True)
    for mode in ("concat", "sum", "average", "multiply"):
        out["bidirectional-lstm-" + mode] = bidirectional_fixture("lstm", {}, mode)
    out["bidirectional-gru-concat"] = bidirectional_fixture("gru", {"resetAfter": True}, "concat")
    out["stack-lstm-residual"] = stack_fixture("lstm", {}, True)
    out["stack-gru"] = stack_fixture("gru", {"resetAfter": False}, False)
    out["stack-elman-residual"] = stack_fixture("elman", {"activation": "tanh"}, True)
    return out
