"""PyTorch reference fixtures for the telemetry histograms (core/telemetry/histogram.ts).

Each fixture is one JSON file: {"name", "bins", "values", "counts", "mean", "std"}: float32 values, and
torch.histc's counts over [min, max] of the values (torch's rule, like the studio's: equal-width bins, the
maximum in the last bin), with the population mean and standard deviation in float64.

Run alone:  /usr/bin/python3 scripts/reference/fixtures_histogram.py [out_dir]
or through scripts/reference/torch_fixtures.py, which calls write_fixtures(out_dir).
"""
import json
import os
import sys

import torch

DEFAULT_OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'torch', 'histogram')


def cases(gen):
    normal = torch.randn(2000, generator=gen, dtype=torch.float32) * 0.3
    uniform = torch.rand(777, generator=gen, dtype=torch.float32) * 4 - 1
    # A heavy tail, as an exploding layer's activations look: most values small, a few large.
    tail = torch.randn(1500, generator=gen, dtype=torch.float32) ** 3
    sigmoid = torch.sigmoid(torch.randn(640, generator=gen, dtype=torch.float32) * 3)
    return {'normal': (normal, 30), 'uniform': (uniform, 30), 'heavy_tail': (tail, 30), 'sigmoid': (sigmoid, 7)}


def write_fixtures(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    gen = torch.Generator().manual_seed(2026)
    for name, (values, bins) in cases(gen).items():
        # histc in float64 over the float32 values: bin boundaries are then computed exactly as in JS.
        v64 = values.double()
        counts = torch.histc(v64, bins=bins, min=float(v64.min()), max=float(v64.max()))
        fixture = {
            'name': name,
            'bins': bins,
            'values': [float(x) for x in values.tolist()],
            'counts': [int(c) for c in counts.tolist()],
            'mean': float(v64.mean()),
            'std': float(v64.std(unbiased=False)),
        }
        with open(os.path.join(out_dir, name + '.json'), 'w') as f:
            json.dump(fixture, f)


if __name__ == '__main__':
    write_fixtures(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
