#!/usr/bin/env python3
"""The project's PyTorch yardstick for `rnn-studio bench` (a copy of the shared anchor script; configs must stay identical).

Usage: python3 torch_bench.py [CONFIG ...] [--threads N] [--steps N] [--json] [--cpu-time]
Configs: lm-lstm, cls-gru, tag-bilstm, s2s-attn (default: all).
Prints one line per config: name, tokens/s (input tokens processed per second of training,
forward + backward + Adam step), ms/step. With --json, one JSON object per line.
--cpu-time times steps by process CPU time instead of the wall clock (fairer on a shared machine;
the same as wall time on an idle one with one thread). Everything else is the anchor script unchanged.
Needs Debian's python3-torch (apt-get install python3-torch libopenblas0-pthread).
"""
import argparse, json, os, time
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # OpenBLAS threads fight torch's own; one is fastest on 2 cores
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    # name: (batch, time steps, extra)
    "lm-lstm": dict(B=64, T=100, V=65, H=256),            # char-level LM, one-hot input, 1-layer LSTM
    "cls-gru": dict(B=64, T=200, V=10000, E=128, H=128, C=2),  # embedding + GRU acceptor (last state)
    "tag-bilstm": dict(B=32, T=50, V=5000, E=100, H=128, C=20),  # embedding + BiLSTM tagger
    "s2s-attn": dict(B=64, S=30, T=12, V=40, E=64, H=128),  # GRU encoder-decoder, Luong dot attention, teacher forcing
}

class LM(nn.Module):
    def __init__(s, c):
        super().__init__(); s.rnn = nn.LSTM(c["V"], c["H"], batch_first=True); s.out = nn.Linear(c["H"], c["V"])
    def forward(s, x): return s.out(s.rnn(x)[0])

class Cls(nn.Module):
    def __init__(s, c):
        super().__init__(); s.emb = nn.Embedding(c["V"], c["E"]); s.rnn = nn.GRU(c["E"], c["H"], batch_first=True); s.out = nn.Linear(c["H"], c["C"])
    def forward(s, x): return s.out(s.rnn(s.emb(x))[1][-1])

class Tag(nn.Module):
    def __init__(s, c):
        super().__init__(); s.emb = nn.Embedding(c["V"], c["E"]); s.rnn = nn.LSTM(c["E"], c["H"], batch_first=True, bidirectional=True); s.out = nn.Linear(2 * c["H"], c["C"])
    def forward(s, x): return s.out(s.rnn(s.emb(x))[0])

class S2S(nn.Module):
    def __init__(s, c):
        super().__init__(); H = c["H"]
        s.se = nn.Embedding(c["V"], c["E"]); s.te = nn.Embedding(c["V"], c["E"])
        s.enc = nn.GRU(c["E"], H, batch_first=True); s.dec = nn.GRU(c["E"], H, batch_first=True)
        s.comb = nn.Linear(2 * H, H); s.out = nn.Linear(H, c["V"])
    def forward(s, src, tgt):
        eo, h = s.enc(s.se(src)); do, _ = s.dec(s.te(tgt), h)
        a = torch.softmax(do @ eo.transpose(1, 2), -1)          # [B, T, S] attention weights
        ctx = a @ eo
        return s.out(torch.tanh(s.comb(torch.cat([do, ctx], -1))))

CLOCK = time.perf_counter


def run(name, steps):
    c = CONFIGS[name]; torch.manual_seed(0); B = c["B"]
    if name == "lm-lstm":
        m = LM(c); x = F.one_hot(torch.randint(0, c["V"], (B, c["T"])), c["V"]).float(); y = torch.randint(0, c["V"], (B, c["T"]))
        loss = lambda: F.cross_entropy(m(x).reshape(-1, c["V"]), y.reshape(-1)); tokens = B * c["T"]
    elif name == "cls-gru":
        m = Cls(c); x = torch.randint(0, c["V"], (B, c["T"])); y = torch.randint(0, c["C"], (B,))
        loss = lambda: F.cross_entropy(m(x), y); tokens = B * c["T"]
    elif name == "tag-bilstm":
        m = Tag(c); x = torch.randint(0, c["V"], (B, c["T"])); y = torch.randint(0, c["C"], (B, c["T"]))
        loss = lambda: F.cross_entropy(m(x).reshape(-1, c["C"]), y.reshape(-1)); tokens = B * c["T"]
    else:
        m = S2S(c); src = torch.randint(0, c["V"], (B, c["S"])); tgt = torch.randint(0, c["V"], (B, c["T"])); y = torch.randint(0, c["V"], (B, c["T"]))
        loss = lambda: F.cross_entropy(m(src, tgt).reshape(-1, c["V"]), y.reshape(-1)); tokens = B * (c["S"] + c["T"])
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    def step():
        opt.zero_grad(); l = loss(); l.backward(); opt.step()
    step(); step()
    t0 = CLOCK()
    for _ in range(steps): step()
    dt = (CLOCK() - t0) / steps
    return dict(config=name, engine="pytorch-%s-cpu" % torch.__version__, threads=torch.get_num_threads(),
                tokens_per_s=round(tokens / dt), ms_per_step=round(dt * 1000, 1))

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("configs", nargs="*", default=list(CONFIGS))
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.add_argument("--cpu-time", action="store_true")
    a = p.parse_args()
    if a.cpu_time: CLOCK = time.process_time
    torch.set_num_threads(a.threads)
    for n in a.configs:
        r = run(n, a.steps)
        print(json.dumps(r) if a.json else "%-11s %8d tokens/s %8.1f ms/step (%s, %d thread)" % (n, r["tokens_per_s"], r["ms_per_step"], r["engine"], r["threads"]))
