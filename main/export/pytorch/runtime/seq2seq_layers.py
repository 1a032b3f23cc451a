"""Encoder, bridge and decoder of an RNN Studio sequence-to-sequence model in plain PyTorch.

They compute what the studio's Encoder and Decoder blocks compute (core/engine/seq2seq/encoder.ts,
bridge.ts and blocks.ts): a stack of recurrent layers, optionally bidirectional, whose final states start
a stack of decoder layers, through a dense bridge when the state is not as wide as the decoder.
A state is a list [h] or [h, c] (LSTM); an encoder or decoder hands on one such list per layer.
Weight names are the studio's: one plain layer uses the cell's own names (kernel, recurrent_kernel, bias);
deeper stacks prefix layer1/, layer2/ ...; bidirectional layers add forward/ and backward/; the bridge
is bridge/kernel, bridge/bias (and bridge/cell_kernel, bridge/cell_bias for an LSTM decoder).
"""
import torch
from torch import nn

from studio_layers import Recurrent, _t


def _layer_prefix(prefix, i, layers):
    return prefix if layers == 1 else f"{prefix}/layer{i + 1}"


class SequenceDropout(nn.Module):
    """Input dropout with one mask per sequence (the same features dropped at every step, kept ones scaled
    by 1/(1-rate)), as the studio drops an encoder's or decoder's input while training."""

    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate <= 0:
            return x
        keep = torch.bernoulli(x.new_full((x.shape[0], 1, x.shape[2]), 1 - self.rate))
        return x * keep / (1 - self.rate)


class Encoder(nn.Module):
    """Recurrent layers over the source; returns the top layer's sequence (the memory) and every layer's
    final state. Bidirectional layers concatenate the two directions, in the sequence and in the state."""

    def __init__(self, cell, input_size, units, layers=1, bidirectional=False, dropout=0.0, **cell_options):
        super().__init__()
        width = 2 * units if bidirectional else units
        self.layers = nn.ModuleList(
            [Recurrent(cell, input_size if i == 0 else width, units, bidirectional=bidirectional, merge="concat", **cell_options)
             for i in range(layers)]
        )
        self.dropout = SequenceDropout(dropout)

    def forward(self, x, mask):
        x = self.dropout(x)
        states = []
        for layer in self.layers:
            x, final = layer(x, mask)
            states.append(final)
        return x, states

    def load_studio(self, values, prefix):
        for i, layer in enumerate(self.layers):
            layer.load_studio(values, _layer_prefix(prefix, i, len(self.layers)))


class Bridge(nn.Module):
    """Encoder state -> decoder initial state when their widths differ: h0 = tanh(h W + b) and, for an
    LSTM decoder handed a cell state, c0 = c W_c + b_c (a cell state is unbounded, so no squashing).
    Kernels are [in, out]. lstm: the decoder is an LSTM and the incoming state carries c."""

    def __init__(self, state_size, units, lstm):
        super().__init__()
        self.lstm = lstm
        self.kernel = nn.Parameter(torch.zeros(state_size, units))
        self.bias = nn.Parameter(torch.zeros(units))
        if lstm:
            self.cell_kernel = nn.Parameter(torch.zeros(state_size, units))
            self.cell_bias = nn.Parameter(torch.zeros(units))

    def forward(self, h, c):
        h0 = torch.tanh(h @ self.kernel + self.bias)
        c0 = c @ self.cell_kernel + self.cell_bias if self.lstm and c is not None else None
        return h0, c0

    def load_studio(self, values, prefix):
        names = ["kernel", "bias"] + (["cell_kernel", "cell_bias"] if self.lstm else [])
        for name in names:
            getattr(self, name).data.copy_(_t(values, f"{prefix}/bridge/{name}"))


class Decoder(nn.Module):
    """Recurrent layers over the (shifted) target, started from the incoming per-layer states: layer i
    starts from incoming state i when the counts match, else every layer from the top incoming state.
    An LSTM decoder given no cell state (after a GRU or Elman encoder) starts with c0 = 0."""

    def __init__(self, cell, input_size, units, layers=1, state_size=None, state_cell=True, dropout=0.0, **cell_options):
        """state_size: the incoming state's width (a bridge when it differs from units); state_cell: whether
        it carries an LSTM cell state (the bridge then maps it too)."""
        super().__init__()
        self.cell, self.units = cell, units
        self.layers = nn.ModuleList([Recurrent(cell, input_size if i == 0 else units, units, **cell_options) for i in range(layers)])
        bridged = state_size not in (None, units)
        self.bridge = Bridge(state_size, units, cell == "lstm" and state_cell) if bridged else None
        self.dropout = SequenceDropout(dropout)

    def initial_states(self, incoming):
        paired = incoming if len(incoming) == len(self.layers) else [incoming[-1]] * len(self.layers)
        starts = []
        for state in paired:
            h, c = state[0], state[1] if len(state) > 1 else None
            if self.bridge is not None:
                h, c = self.bridge(h, c)
            if self.cell == "lstm":
                starts.append([h, c if c is not None else h.new_zeros(h.shape[0], self.units)])
            else:
                starts.append([h])
        return starts

    def forward(self, x, mask, incoming):
        """incoming: a list of states (one per encoder layer). Returns the top sequence and each layer's final state."""
        x = self.dropout(x)
        states = []
        for layer, start in zip(self.layers, self.initial_states(incoming)):
            x, final = layer(x, mask, start)
            states.append(final)
        return x, states

    def load_studio(self, values, prefix):
        if self.bridge is not None:
            self.bridge.load_studio(values, prefix)
        for i, layer in enumerate(self.layers):
            layer.load_studio(values, _layer_prefix(prefix, i, len(self.layers)))
