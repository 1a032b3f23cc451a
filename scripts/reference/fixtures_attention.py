"""PyTorch reference fixtures for attention, self-attention and the state-space layer.

Each fixture is one JSON file: {"name", "config", "tensors": {name: {"shape", "data"}}}. Weights are written
in the engine's layout (tfjs/Keras: kernels [in, out]); inputs are drawn in float32 and the reference runs
in float64, so the only error left in a comparison is the engine's own float32 arithmetic.
Gradients are of loss = sum(output * probe) (+ sum(weights * probe_w) where weights are an output) with
fixed random probes, so every output element carries a distinct gradient.

Run alone:  /usr/bin/python3 scripts/reference/fixtures_attention.py [out_dir]
or through scripts/reference/torch_fixtures.py, which calls write_fixtures(out_dir).
"""
import json
import math
import os
import sys

import torch

DEFAULT_OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'torch', 'attention')


def rand(gen, *shape, scale=1.0):
    # float32 draw, float64 compute: the engine receives exactly these numbers.
    return (torch.randn(*shape, generator=gen, dtype=torch.float32) * scale).double()


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def pack(tensors):
    out = {}
    for name, t in tensors.items():
        t = t.detach().double()
        out[name] = {'shape': list(t.shape), 'data': [float('%.9g' % v) for v in t.reshape(-1).tolist()]}
    return out


def save(out_dir, name, config, tensors):
    with open(os.path.join(out_dir, name + '.json'), 'w') as f:
        json.dump({'name': name, 'config': config, 'tensors': pack(tensors)}, f)


def source_mask(b, s, lengths):
    m = torch.zeros(b, s, dtype=torch.float64)
    for i, n in enumerate(lengths):
        m[i, :n] = 1
    return m


# ---- attention (Bahdanau additive, Luong dot and general) -------------------------------------------------

def attention_fixture(out_dir, score, seed, scaled=False):
    gen = torch.Generator().manual_seed(seed)
    b, t, s, hq, a = 2, 3, 4, 5, 7
    hm = hq if score == 'dot' else 6
    query, memory = leaf(rand(gen, b, t, hq)), leaf(rand(gen, b, s, hm))
    mask = source_mask(b, s, [4, 2])
    w = {}
    if score == 'additive':
        w = {'query_kernel': leaf(rand(gen, hq, a, scale=0.5)), 'memory_kernel': leaf(rand(gen, hm, a, scale=0.5)),
             'score_vector': leaf(rand(gen, a))}
        e = torch.tanh((query @ w['query_kernel'])[:, :, None, :] + (memory @ w['memory_kernel'])[:, None, :, :])
        scores = e @ w['score_vector']
    elif score == 'general':
        w = {'kernel': leaf(rand(gen, hq, hm, scale=0.5))}
        scores = query @ w['kernel'] @ memory.transpose(1, 2)
    else:
        scores = query @ memory.transpose(1, 2) / (math.sqrt(hm) if scaled else 1)
    scores = scores.masked_fill(mask[:, None, :] == 0, float('-inf'))
    weights = torch.softmax(scores, dim=-1)
    context = weights @ memory
    probe_c, probe_w = rand(gen, b, t, hm), rand(gen, b, t, s)
    loss = (context * probe_c).sum() + (weights * probe_w).sum()
    params = [query, memory] + list(w.values())
    grads = torch.autograd.grad(loss, params)
    tensors = {'query': query, 'memory': memory, 'mask': mask, 'probe_context': probe_c, 'probe_weights': probe_w,
               'context': context, 'weights': weights, **w}
    for name, g in zip(['query', 'memory'] + list(w.keys()), grads):
        tensors['grad_' + name] = g
    save(out_dir, 'attention_' + score + ('_scaled' if scaled else ''), {'score': score, 'units': a, 'scaled': scaled}, tensors)


# ---- self-attention block: torch.nn.TransformerEncoderLayer (post-norm, ReLU) -----------------------------

def sinusoid(t, d):
    pe = torch.zeros(t, d, dtype=torch.float64)
    for p in range(t):
        for i in range(d):
            angle = p / math.pow(10000, (2 * (i // 2)) / d)
            pe[p, i] = math.sin(angle) if i % 2 == 0 else math.cos(angle)
    return pe


def self_attention_fixture(out_dir, causal, positional, seed):
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    b, t, d, heads, ff = 2, 5, 8, 2, 16
    layer = torch.nn.TransformerEncoderLayer(d, heads, dim_feedforward=ff, dropout=0.0, batch_first=True).double()
    with torch.no_grad():  # non-trivial norms so their gradients are distinct from the defaults
        for norm in (layer.norm1, layer.norm2):
            norm.weight.copy_(1 + 0.1 * rand(gen, d))
            norm.bias.copy_(0.1 * rand(gen, d))
        for p in layer.parameters():  # round to float32 so the engine sees the same weights
            p.copy_(p.float().double())
    layer.train()
    x = leaf(rand(gen, b, t, d))
    mask = source_mask(b, t, [5, 3])
    positions = leaf(rand(gen, t + 2, d, scale=0.1)) if positional == 'learned' else None
    pos = sinusoid(t, d) if positional == 'sinusoidal' else positions[:t] if positional == 'learned' else 0
    inp = x + pos
    pad = mask == 0
    attn_mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1) if causal else None
    out = layer(inp, src_mask=attn_mask, src_key_padding_mask=pad)
    _, weights = layer.self_attn(inp, inp, inp, key_padding_mask=pad, attn_mask=attn_mask, need_weights=True,
                                 average_attn_weights=False)
    probe = rand(gen, b, t, d)
    loss = (out * probe).sum()
    named = {}
    wq, wk, wv = layer.self_attn.in_proj_weight.chunk(3, 0)
    bq, bk, bv = layer.self_attn.in_proj_bias.chunk(3, 0)
    torch_params = {
        'query/kernel': (wq, True), 'query/bias': (bq, False), 'key/kernel': (wk, True), 'key/bias': (bk, False),
        'value/kernel': (wv, True), 'value/bias': (bv, False),
        'output/kernel': (layer.self_attn.out_proj.weight, True), 'output/bias': (layer.self_attn.out_proj.bias, False),
        'norm1/gamma': (layer.norm1.weight, False), 'norm1/beta': (layer.norm1.bias, False),
        'ffn1/kernel': (layer.linear1.weight, True), 'ffn1/bias': (layer.linear1.bias, False),
        'ffn2/kernel': (layer.linear2.weight, True), 'ffn2/bias': (layer.linear2.bias, False),
        'norm2/gamma': (layer.norm2.weight, False), 'norm2/beta': (layer.norm2.bias, False),
    }
    leaves = [x, layer.self_attn.in_proj_weight, layer.self_attn.in_proj_bias] + [
        p for k, (p, _) in torch_params.items() if not k.startswith(('query', 'key', 'value'))]
    if positions is not None:
        leaves.append(positions)
    grads = dict(zip(range(len(leaves)), torch.autograd.grad(loss, leaves)))
    g_inw, g_inb = grads[1].chunk(3, 0), grads[2].chunk(3, 0)
    tensors = {'input': x, 'mask': mask, 'probe': probe, 'output': out, 'weights': weights, 'grad_input': grads[0]}
    for name, (p, transpose) in torch_params.items():
        named[name] = p.t() if transpose else p
    grad_of = {'query/kernel': g_inw[0].t(), 'key/kernel': g_inw[1].t(), 'value/kernel': g_inw[2].t(),
               'query/bias': g_inb[0], 'key/bias': g_inb[1], 'value/bias': g_inb[2]}
    rest = [k for k in torch_params if not k.startswith(('query', 'key', 'value'))]
    for i, k in enumerate(rest):
        g = grads[3 + i]
        grad_of[k] = g.t() if torch_params[k][1] else g
    if positions is not None:
        named['positions'] = positions
        grad_of['positions'] = grads[len(leaves) - 1]
    tensors.update(named)
    tensors.update({'grad_' + k: v for k, v in grad_of.items()})
    name = 'self_attention_' + ('causal' if causal else 'plain')
    save(out_dir, name, {'heads': heads, 'causal': causal, 'positional': positional, 'feedForward': ff}, tensors)


# ---- state-space layer: S4D/LRU diagonal recurrence, computed with torch complex numbers --------------------

def state_space_fixture(out_dir, complex_mode, seed):
    gen = torch.Generator().manual_seed(seed)
    # complex: per-feature skip (U = F, as the catalog's layer); real: a skip matrix to a wider output
    b, t, f, n = 2, 6, 3, 4
    u = f if complex_mode else 5
    x = leaf(rand(gen, b, t, f))
    mask = source_mask(b, t, [6, 4])
    w = {
        'log_step': leaf(torch.log(torch.tensor([0.05, 0.1, 0.3, 0.7], dtype=torch.float32)).double()),
        'log_rate': leaf(rand(gen, n, scale=0.5)),
        'input_kernel': leaf(rand(gen, f, n, scale=0.5)),
        'output_kernel': leaf(rand(gen, n, u, scale=0.5)),
        'skip': leaf(rand(gen, f, scale=0.5) if complex_mode else rand(gen, f, u, scale=0.5)),
    }
    if complex_mode:
        w['frequency'] = leaf(rand(gen, n, scale=2.0))
        w['input_kernel_imag'] = leaf(rand(gen, f, n, scale=0.5))
        w['output_kernel_imag'] = leaf(rand(gen, n, u, scale=0.5))
    h0 = leaf(rand(gen, 2, b, n, scale=0.5)) if complex_mode else None
    a = torch.complex(-torch.exp(w['log_rate']), w['frequency'] if complex_mode else torch.zeros(n, dtype=torch.float64))
    step = torch.exp(w['log_step'])
    a_bar = torch.exp(step * a)
    factor = (a_bar - 1) / a
    bm = torch.complex(w['input_kernel'], w['input_kernel_imag'] if complex_mode else torch.zeros(f, n, dtype=torch.float64))
    cm = torch.complex(w['output_kernel'], w['output_kernel_imag'] if complex_mode else torch.zeros(n, u, dtype=torch.float64))
    h = torch.complex(h0[0], h0[1]) if complex_mode else torch.zeros(b, n, dtype=torch.complex128)
    xs = x.to(torch.complex128)
    ys = []
    for i in range(t):
        m = mask[:, i:i + 1].to(torch.complex128)
        h_new = a_bar * h + factor * (xs[:, i] @ bm)
        h = m * h_new + (1 - m) * h
        skip = x[:, i] * w['skip'] if complex_mode else x[:, i] @ w['skip']
        ys.append((h @ cm).real + skip)
    y = torch.stack(ys, 1) * mask[:, :, None]
    final = torch.stack([h.real, h.imag])
    probe, probe_f = rand(gen, b, t, u), rand(gen, 2, b, n)
    loss = (y * probe).sum() + (final * probe_f).sum()
    names = ['input'] + list(w.keys()) + (['initial_state'] if complex_mode else [])
    leaves = [x] + list(w.values()) + ([h0] if complex_mode else [])
    grads = torch.autograd.grad(loss, leaves)
    tensors = {'input': x, 'mask': mask, 'probe': probe, 'probe_final': probe_f, 'output': y, 'final_state': final, **w}
    if complex_mode:
        tensors['initial_state'] = h0
    tensors.update({'grad_' + k: g for k, g in zip(names, grads)})
    save(out_dir, 'state_space_' + ('complex' if complex_mode else 'real'), {'complex': complex_mode}, tensors)


def write_fixtures(out_dir=DEFAULT_OUT):
    os.makedirs(out_dir, exist_ok=True)
    attention_fixture(out_dir, 'additive', 1)
    attention_fixture(out_dir, 'dot', 2)
    attention_fixture(out_dir, 'general', 3)
    attention_fixture(out_dir, 'dot', 8, scaled=True)
    self_attention_fixture(out_dir, False, 'sinusoidal', 4)
    self_attention_fixture(out_dir, True, 'learned', 5)
    state_space_fixture(out_dir, True, 6)
    state_space_fixture(out_dir, False, 7)


if __name__ == '__main__':
    write_fixtures(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
