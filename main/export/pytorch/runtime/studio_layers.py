"""Layers of an RNN Studio model in plain PyTorch.

Each class computes what the studio block of the same name computes (padding id 0, mask 1 = real step,
right-padded batches) and knows how to load the studio's weights, which are stored in the Keras/tfjs
layout: kernels are [in, out]; LSTM gates i,f,c,o; GRU gates z,r,h with reset_after bias [2, 3H].
"""
import math

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def _t(values, name):
    if name not in values:
        raise KeyError(f"the weights have no '{name}'")
    return values[name]


def activate(x, activation):
    if activation == "softmax":
        return torch.softmax(x, dim=-1)
    if activation == "sigmoid":
        return torch.sigmoid(x)
    if activation == "tanh":
        return torch.tanh(x)
    if activation == "relu":
        return torch.relu(x)
    if activation == "gelu":
        return F.gelu(x)
    return x


class Embedding(nn.Module):
    """Token ids -> vectors (learned or one-hot). Returns the vectors and the mask of real steps."""

    def __init__(self, vocabulary_size, dimension, one_hot=False, mask_zero=True):
        super().__init__()
        self.vocabulary_size, self.one_hot, self.mask_zero = vocabulary_size, one_hot, mask_zero
        self.embeddings = None if one_hot else nn.Embedding(vocabulary_size, dimension)

    def forward(self, ids, mask):
        x = F.one_hot(ids, self.vocabulary_size).float() if self.one_hot else self.embeddings(ids)
        return x, ((ids != 0).float() if self.mask_zero else mask)

    def load_studio(self, values, prefix):
        if self.embeddings is not None:
            self.embeddings.weight.data.copy_(_t(values, f"{prefix}/embeddings"))


class ClassicGRU(nn.Module):
    """GRU with the reset gate applied before the recurrent product (Cho et al. 2014, Keras reset_after=False).
    nn.GRU has no such mode, so this one loops over time in Python (slower, same numbers)."""

    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.kernel = nn.Parameter(torch.zeros(input_size, 3 * hidden_size))
        self.recurrent_kernel = nn.Parameter(torch.zeros(hidden_size, 3 * hidden_size))
        self.bias = nn.Parameter(torch.zeros(3 * hidden_size))

    def forward(self, x, mask, h):
        H = self.hidden_size
        xs = x @ self.kernel + self.bias
        uz, ur, uh = self.recurrent_kernel.split(H, dim=1)
        outputs = []
        for t in range(x.shape[1]):
            xz, xr, xh = xs[:, t].split(H, dim=1)
            z = torch.sigmoid(xz + h @ uz)
            r = torch.sigmoid(xr + h @ ur)
            candidate = torch.tanh(xh + (r * h) @ uh)
            new = z * h + (1 - z) * candidate
            m = mask[:, t : t + 1]
            h = m * new + (1 - m) * h
            outputs.append(h)
        return torch.stack(outputs, 1), h


class Recurrent(nn.Module):
    """One recurrent layer (LSTM, GRU or Elman), optionally bidirectional, on nn.LSTM/nn.GRU/nn.RNN.

    Padded steps are skipped with pack_padded_sequence, so the final state is the state after each
    sequence's last real step and the backward direction starts there, as in the studio."""

    def __init__(self, cell, input_size, units, bidirectional=False, activation="tanh", reset_after=True, merge="concat"):
        super().__init__()
        self.cell, self.units, self.merge, self.bidirectional = cell, units, merge, bidirectional
        self.classic = cell == "gru" and not reset_after
        if self.classic:
            self.rnn = ClassicGRU(input_size, units)
            self.rnn_reverse = ClassicGRU(input_size, units) if bidirectional else None
        elif cell == "lstm":
            self.rnn = nn.LSTM(input_size, units, batch_first=True, bidirectional=bidirectional)
        elif cell == "gru":
            self.rnn = nn.GRU(input_size, units, batch_first=True, bidirectional=bidirectional)
        else:
            self.rnn = nn.RNN(input_size, units, nonlinearity=activation, batch_first=True, bidirectional=bidirectional)
        if cell in ("lstm", "elman"):
            # The studio's LSTM and Elman cells have one bias; torch's second (bias_hh) stays zero and frozen,
            # otherwise both would learn the same gradient and the bias would move twice as fast.
            for name, p in self.rnn.named_parameters():
                if name.startswith("bias_hh"):
                    p.requires_grad_(False)

    def forward(self, x, mask, state=None):
        """x [B,T,F], mask [B,T]; state: list of [B,H] (h, and c for an LSTM) or None.
        Returns (sequence [B,T,H or 2H], final state as a list of [B,H] per direction merged)."""
        B, T = x.shape[0], x.shape[1]
        if self.classic:
            h0 = state[0] if state is not None else x.new_zeros(B, self.units)
            seq, h = self.rnn(x, mask, h0)
            if not self.bidirectional:
                return seq, [h]
            # The backward direction reads each sequence's real steps last to first (padding stays at the end).
            flip = reverse_real_steps(mask)
            seq_back, h_back = self.rnn_reverse(flip(x), mask, x.new_zeros(B, self.units))
            return merge(self.merge, seq, flip(seq_back)), [merge(self.merge, h, h_back)]
        lengths = mask.sum(1).long().clamp(min=1).cpu()
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        init = None
        if state is not None:
            init = tuple(s.unsqueeze(0).contiguous() for s in state)
            init = init if self.cell == "lstm" else init[0]
        out, final = self.rnn(packed, init)
        seq, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
        finals = list(final) if self.cell == "lstm" else [final]
        if self.bidirectional:
            H = self.units
            seq = merge(self.merge, seq[..., :H], seq[..., H:])
            finals = [merge(self.merge, f[0], f[1]) for f in finals]
        else:
            finals = [f[0] for f in finals]
        return seq, finals

    def load_studio(self, values, prefix):
        if self.classic:
            pairs = [(self.rnn, f"{prefix}/forward"), (self.rnn_reverse, f"{prefix}/backward")] if self.bidirectional else [(self.rnn, prefix)]
            for rnn, name in pairs:
                rnn.kernel.data.copy_(_t(values, f"{name}/kernel"))
                rnn.recurrent_kernel.data.copy_(_t(values, f"{name}/recurrent_kernel"))
                rnn.bias.data.copy_(_t(values, f"{name}/bias"))
            return
        directions = [("", f"{prefix}/forward")] + ([("_reverse", f"{prefix}/backward")] if self.bidirectional else [])
        if not self.bidirectional:
            directions = [("", prefix)]
        for suffix, name in directions:
            kernel = _t(values, f"{name}/kernel")
            recurrent = _t(values, f"{name}/recurrent_kernel")
            bias = _t(values, f"{name}/bias")
            if self.cell == "gru":
                # Keras z, r, h  ->  torch r, z, n
                reorder = lambda w: torch.cat([w[..., self.units : 2 * self.units], w[..., : self.units], w[..., 2 * self.units :]], -1)
                kernel, recurrent, bias = reorder(kernel), reorder(recurrent), reorder(bias)
                bias_ih, bias_hh = bias[0], bias[1]
            else:
                # LSTM i, f, c, o is torch's i, f, g, o already; Keras has one bias, torch two (one is zero).
                bias_ih, bias_hh = bias, torch.zeros_like(bias)
            getattr(self.rnn, f"weight_ih_l0{suffix}").data.copy_(kernel.t())
            getattr(self.rnn, f"weight_hh_l0{suffix}").data.copy_(recurrent.t())
            getattr(self.rnn, f"bias_ih_l0{suffix}").data.copy_(bias_ih)
            getattr(self.rnn, f"bias_hh_l0{suffix}").data.copy_(bias_hh)


def reverse_real_steps(mask):
    """A function reversing the real steps of each right-padded sequence of a [B,T,...] tensor in place
    (step t <-> length-1-t); padded steps stay where they are. Applying it twice restores the order."""
    T = mask.shape[1]
    lengths = mask.sum(1).long()
    steps = torch.arange(T, device=mask.device).unsqueeze(0)
    index = torch.where(steps < lengths.unsqueeze(1), lengths.unsqueeze(1) - 1 - steps, steps)

    def flip(y):
        return torch.gather(y, 1, index.view(*index.shape, *([1] * (y.dim() - 2))).expand(*y.shape))

    return flip


def merge(mode, a, b):
    if mode == "concat":
        return torch.cat([a, b], -1)
    if mode == "sum":
        return a + b
    if mode == "average":
        return (a + b) * 0.5
    return a * b


class Stack(nn.Module):
    """Layers of one cell kind on top of each other; residual adds a layer's input when widths match."""

    def __init__(self, cell, input_size, units, layers, residual=False, dropout=0.0, **cell_options):
        super().__init__()
        self.residual = residual
        self.layers = nn.ModuleList(
            [Recurrent(cell, input_size if i == 0 else units, units, **cell_options) for i in range(layers)]
        )
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask, state=None):
        final = None
        for i, layer in enumerate(self.layers):
            y, final = layer(x, mask)
            if self.residual and x.shape[-1] == y.shape[-1]:
                y = y + x
            if i < len(self.layers) - 1:
                y = self.dropout(y)
            x = y
        return x, final

    def load_studio(self, values, prefix):
        for i, layer in enumerate(self.layers):
            layer.load_studio(values, f"{prefix}/layer{i + 1}")


class Dense(nn.Module):
    """A linear map of the last axis (per time step on sequences) and an activation; also the Head."""

    def __init__(self, inputs, units, activation="linear"):
        super().__init__()
        self.linear, self.activation = nn.Linear(inputs, units), activation

    def forward(self, x, logits=False):
        z = self.linear(x)
        return z if logits else activate(z, self.activation)

    def load_studio(self, values, prefix):
        self.linear.weight.data.copy_(_t(values, f"{prefix}/kernel").t())
        self.linear.bias.data.copy_(_t(values, f"{prefix}/bias"))


class Pooling(nn.Module):
    """One vector per sequence over real steps: last, mean, max, or attention softmax(w . tanh(W h + b))."""

    def __init__(self, mode, inputs=0, units=0):
        super().__init__()
        self.mode = mode
        if mode == "attention":
            self.kernel = nn.Parameter(torch.zeros(inputs, units))
            self.bias = nn.Parameter(torch.zeros(units))
            self.score_vector = nn.Parameter(torch.zeros(units))

    def forward(self, x, mask):
        if self.mode == "last":
            last = (mask * torch.arange(mask.shape[1], device=mask.device)).argmax(1)
            return x[torch.arange(x.shape[0]), last], None
        if self.mode == "mean":
            return (x * mask.unsqueeze(2)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1), None
        if self.mode == "max":
            return x.masked_fill(mask.unsqueeze(2) == 0, -1e9).max(1).values, None
        scores = torch.tanh(x @ self.kernel + self.bias) @ self.score_vector
        alpha = torch.softmax(scores.masked_fill(mask == 0, -1e9), 1) * mask
        return (x * alpha.unsqueeze(2)).sum(1), alpha

    def load_studio(self, values, prefix):
        if self.mode == "attention":
            for name in ("kernel", "bias", "score_vector"):
                getattr(self, name).data.copy_(_t(values, f"{prefix}/{name}"))


def _params(module, values, prefix, names):
    for name in names:
        key = f"{prefix}/{name}"
        if key in values:
            getattr(module, name.replace("/", "_")).data.copy_(values[key])


class Attention(nn.Module):
    """Attention of each query step over a memory: additive v.tanh(q Wq + m Wm), dot q.m, general q.(m Wg^T)."""

    def __init__(self, score, query_size, memory_size, units=0, scaled=False):
        super().__init__()
        self.score, self.scaled = score, scaled
        if score == "additive":
            self.query_kernel = nn.Parameter(torch.zeros(query_size, units))
            self.memory_kernel = nn.Parameter(torch.zeros(memory_size, units))
            self.score_vector = nn.Parameter(torch.zeros(units))
        elif score == "general":
            self.kernel = nn.Parameter(torch.zeros(query_size, memory_size))

    def forward(self, query, memory, memory_mask):
        if self.score == "additive":
            hidden = torch.tanh((query @ self.query_kernel).unsqueeze(2) + (memory @ self.memory_kernel).unsqueeze(1))
            scores = hidden @ self.score_vector
        else:
            keys = memory @ self.kernel.t() if self.score == "general" else memory
            scores = query @ keys.transpose(1, 2)
            if self.score == "dot" and self.scaled:
                scores = scores / math.sqrt(memory.shape[-1])
        m = memory_mask.unsqueeze(1)
        weights = torch.softmax(scores.masked_fill(m == 0, -1e9), -1) * m
        return weights @ memory, weights

    def load_studio(self, values, prefix):
        _params(self, values, prefix, ["query_kernel", "memory_kernel", "score_vector", "kernel"])


class StateSpace(nn.Module):
    """Diagonal linear recurrence (S4D/LRU family), as the studio's state-space layer computes it:
    A = -exp(log_rate) (+ i*frequency when complex), step = exp(log_step) (1 when not learned),
    a = exp(step*A), h_t = a*h_{t-1} + (a-1)/A * (B x_t), y = Re(C h) + skip*x, with C h's imaginary part
    entering as -C_imag*Im(h). Complex numbers are (real, imaginary) pairs of float tensors, in the
    studio's order of operations. Padded steps hold the state and output zero."""

    def __init__(self, features, state_size, complex=False, learn_step=False):
        super().__init__()
        self.complex = complex
        self.log_rate = nn.Parameter(torch.zeros(state_size))
        self.input_kernel = nn.Parameter(torch.zeros(features, state_size))
        self.output_kernel = nn.Parameter(torch.zeros(state_size, features))
        self.skip = nn.Parameter(torch.zeros(features))
        self.log_step = nn.Parameter(torch.zeros(state_size)) if learn_step else None
        if complex:
            self.frequency = nn.Parameter(torch.zeros(state_size))
            self.input_kernel_imag = nn.Parameter(torch.zeros(features, state_size))
            self.output_kernel_imag = nn.Parameter(torch.zeros(state_size, features))

    def discretise(self):
        """a = exp(step*A) and the input factor (a - 1)/A, each as (real, imaginary)."""
        a_re = -torch.exp(self.log_rate)
        a_im = self.frequency if self.complex else torch.zeros_like(a_re)
        step = torch.exp(self.log_step) if self.log_step is not None else torch.ones_like(a_re)
        magnitude, angle = torch.exp(step * a_re), step * a_im
        bar_re, bar_im = magnitude * torch.cos(angle), magnitude * torch.sin(angle)
        # (a - 1)/A = (a - 1) * conj(A) / |A|^2
        nr, norm = bar_re - 1, a_re * a_re + a_im * a_im
        return bar_re, bar_im, (nr * a_re + bar_im * a_im) / norm, (bar_im * a_re - nr * a_im) / norm

    def forward(self, x, mask):
        bar_re, bar_im, fac_re, fac_im = self.discretise()
        u_re = x @ self.input_kernel
        u_im = x @ self.input_kernel_imag if self.complex else torch.zeros_like(u_re)
        in_re, in_im = u_re * fac_re - u_im * fac_im, u_im * fac_re + u_re * fac_im
        re = x.new_zeros(x.shape[0], self.log_rate.shape[0])
        im = torch.zeros_like(re)
        states_re, states_im = [], []
        for t in range(x.shape[1]):
            m = mask[:, t : t + 1]
            next_re = bar_re * re - bar_im * im + in_re[:, t]
            next_im = bar_re * im + bar_im * re + in_im[:, t]
            re, im = m * next_re + (1 - m) * re, m * next_im + (1 - m) * im
            states_re.append(re)
            states_im.append(im)
        y = torch.stack(states_re, 1) @ self.output_kernel
        if self.complex:
            y = y - torch.stack(states_im, 1) @ self.output_kernel_imag
        y = y + x * self.skip
        return y * mask.unsqueeze(2)

    def load_studio(self, values, prefix):
        names = ["log_rate", "input_kernel", "output_kernel", "skip"]
        names += ["log_step"] if self.log_step is not None else []
        names += ["frequency", "input_kernel_imag", "output_kernel_imag"] if self.complex else []
        for name in names:
            getattr(self, name).data.copy_(_t(values, f"{prefix}/{name}"))


class SelfAttention(nn.Module):
    """Post-norm Transformer encoder layer (as nn.TransformerEncoderLayer, ReLU) with positional encoding."""

    def __init__(self, dimension, heads, feed_forward, dropout=0.1, causal=False, positional="sinusoidal", max_length=512):
        super().__init__()
        self.heads, self.causal, self.positional = heads, causal, positional
        self.query, self.key, self.value, self.output = (nn.Linear(dimension, dimension) for _ in range(4))
        self.norm1, self.norm2 = nn.LayerNorm(dimension, eps=1e-5), nn.LayerNorm(dimension, eps=1e-5)
        self.ffn1, self.ffn2 = nn.Linear(dimension, feed_forward), nn.Linear(feed_forward, dimension)
        self.dropout = nn.Dropout(dropout)
        self.positions = nn.Parameter(torch.zeros(max_length, dimension)) if positional == "learned" else None

    def forward(self, x, mask):
        B, T, D = x.shape
        if self.positional == "sinusoidal":
            p = torch.arange(T, dtype=torch.float32).unsqueeze(1)
            i = torch.arange(D)
            angle = p / torch.pow(10000.0, (2 * (i // 2)).float() / D)
            x = x + torch.where(i % 2 == 0, torch.sin(angle), torch.cos(angle))
        elif self.positional == "learned":
            x = x + self.positions[:T]
        k = D // self.heads
        split = lambda y: y.view(B, T, self.heads, k).transpose(1, 2)
        q, key, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ key.transpose(2, 3) / math.sqrt(k)
        allowed = mask.view(B, 1, 1, T)
        if self.causal:
            allowed = allowed * torch.tril(torch.ones(T, T)).view(1, 1, T, T)
        weights = torch.softmax(scores.masked_fill(allowed == 0, -1e9), -1) * allowed
        attended = (self.dropout(weights) @ v).transpose(1, 2).reshape(B, T, D)
        x1 = self.norm1(x + self.dropout(self.output(attended)))
        y = self.norm2(x1 + self.dropout(self.ffn2(self.dropout(torch.relu(self.ffn1(x1))))))
        return y, weights

    def load_studio(self, values, prefix):
        for name in ("query", "key", "value", "output", "ffn1", "ffn2"):
            layer = getattr(self, name)
            layer.weight.data.copy_(_t(values, f"{prefix}/{name}/kernel").t())
            layer.bias.data.copy_(_t(values, f"{prefix}/{name}/bias"))
        for name in ("norm1", "norm2"):
            getattr(self, name).weight.data.copy_(_t(values, f"{prefix}/{name}/gamma"))
            getattr(self, name).bias.data.copy_(_t(values, f"{prefix}/{name}/beta"))
        if self.positions is not None:
            self.positions.data.copy_(_t(values, f"{prefix}/positions"))


def read_studio_weights(folder, name="weights"):
    """NAME.json (name, shape, byte offset) + NAME.bin (little-endian float32) -> name: tensor."""
    import json
    import os

    import numpy as np

    with open(os.path.join(folder, f"{name}.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    raw = np.fromfile(os.path.join(folder, f"{name}.bin"), dtype="<f4")
    values = {}
    for entry in manifest["weights"]:
        start = entry["offset"] // 4
        count = int(np.prod(entry["shape"])) if entry["shape"] else 1
        values[entry["name"]] = torch.from_numpy(raw[start : start + count].reshape(entry["shape"]).copy())
    return values


def input_mask(inputs, data, mask):
    """The batch's mask when given, else every non-zero id is a real step (features: every step)."""
    if inputs.get(mask) is not None:
        return inputs[mask].float()
    x = inputs[data]
    if x.dtype in (torch.int32, torch.int64):
        return (x != 0).float()
    return torch.ones(x.shape[0], x.shape[1])
