// model.py: the graph as one readable nn.Module. Attributes carry the studio's block names; forward() runs
// the blocks in wire order, one line per block, with the same inputs as a studio Batch (tokens, mask,
// features, source, sourceMask, targetIn, targetMask). The layer classes live in studio_layers.py and
// seq2seq_layers.py (encoder, bridge, decoder).
import { recurrentLayer, wireInto, widthAt, type ModelPlan, type PlanNode } from '../plan.js';

const PY_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally ' +
    'for from global if import in is lambda nonlocal not or pass raise return try while with yield ' +
    'self inputs logits outputs'
  ).split(' '),
);

/** Python names for block ids: unsafe characters become "_", clashes get a number. */
export function pythonNames(plan: ModelPlan): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const node of plan.nodes) {
    let base = node.id.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(base) || PY_KEYWORDS.has(base)) base = `block_${base}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    names.set(node.id, name);
  }
  return names;
}

const py = (v: unknown): string =>
  v === true ? 'True' : v === false ? 'False' : typeof v === 'string' ? JSON.stringify(v) : String(v);

const INPUT_KEYS: Record<string, [string, string]> = {
  tokens: ['tokens', 'mask'],
  features: ['features', 'mask'],
  source: ['source', 'sourceMask'],
  target: ['targetIn', 'targetMask'],
};

function cellArgs(node: PlanNode): string {
  const layer = recurrentLayer(node);
  const extra =
    layer.kind === 'elman'
      ? `, activation=${py(layer.params.activation)}`
      : layer.kind === 'gru'
        ? `, reset_after=${py(layer.params.resetAfter !== false)}`
        : '';
  return `${py(layer.kind)}, ${widthAt(node)}, ${layer.params.units}${extra}`;
}

/**
 * The inner layer's input dropout, which the studio applies to an
 * encoder's or decoder's input while training.
 */
function innerDropout(node: PlanNode): number {
  return Number(recurrentLayer(node).params.dropout ?? 0);
}

/** The constructor line of a block, or null for blocks without a module (input, concatenate, add). */
function moduleLine(node: PlanNode): string | null {
  const p = node.params;
  switch (node.kind) {
    case 'embedding':
      return (
        `Embedding(${p.vocabularySize}, ${p.dimension}, one_hot=${py(p.oneHot)}, ` +
        `mask_zero=${py(p.maskZero)})`
      );
    case 'elman':
    case 'lstm':
    case 'gru':
      return `Recurrent(${cellArgs(node)})`;
    case 'encoder':
      return (
        `Encoder(${cellArgs(node)}, layers=${Number(p.layers ?? 1)}, ` +
        `bidirectional=${py(p.bidirectional === true)}, dropout=${innerDropout(node)})`
      );
    case 'decoder':
      // state_size: the incoming state's width; the Decoder adds the bridge when it differs from units.
      // state_cell: whether that state carries an LSTM cell state for the bridge to map.
      return (
        `Decoder(${cellArgs(node)}, layers=${Number(p.layers ?? 1)}, ` +
        `state_size=${widthAt(node, 'state')}, ` +
        `state_cell=${py(node.inputShapes.state?.[0]?.cell === true)}, ` +
        `dropout=${innerDropout(node)})`
      );
    case 'bidirectional':
      return `Recurrent(${cellArgs(node)}, bidirectional=True, merge=${py(p.merge)})`;
    case 'stack':
      return `Stack(${cellArgs(node)}, layers=${p.layers}, residual=${py(p.residual)}, dropout=${p.dropout})`;
    case 'dropout':
      return `nn.Dropout(${p.rate})`;
    case 'dense':
    case 'head':
      return `Dense(${widthAt(node)}, ${p.units}, ${py(p.activation)})`;
    case 'pooling':
      return p.mode === 'attention'
        ? `Pooling("attention", ${widthAt(node)}, ${p.units})`
        : `Pooling(${py(p.mode)})`;
    case 'state-space':
      return (
        `StateSpace(${widthAt(node)}, ${p.stateSize}, complex=${py(p.diagonal === 'complex')}, ` +
        `learn_step=${py(p.learnStep === true)})`
      );
    case 'self-attention':
      return (
        `SelfAttention(${widthAt(node)}, ${p.heads}, ${p.feedForward}, dropout=${p.dropout}, ` +
        `causal=${py(p.causal)}, positional=${py(p.positionalEncoding)}, max_length=${p.maxLength})`
      );
    case 'attention':
      return (
        `Attention(${py(p.score)}, ${widthAt(node, 'query')}, ${widthAt(node, 'memory')}, ` +
        `units=${p.units}, scaled=${py(p.scaled)})`
      );
    default:
      return null;
  }
}

/** Lines of forward() for one block. Variables: `<name>` the output, `<name>_mask`, `<name>_state` (and
 * `<name>_layers`, every layer's final state, for encoders and decoders). */
function forwardLines(node: PlanNode, names: Map<string, string>, plan: ModelPlan): string[] {
  const me = names.get(node.id)!;
  const v = (port = 'in') => {
    const ref = wireInto(node, port);
    const from = names.get(ref.node)!;
    if (ref.port === 'state') return `${from}_state`;
    if (ref.port === 'weights') return `${from}_weights`;
    return from;
  };
  const m = (port = 'in') => `${names.get(wireInto(node, port).node)!}_mask`;
  const p = node.params;
  const returnsSequence = () => recurrentLayer(node).params.returnSequences !== false;
  switch (node.kind) {
    case 'input': {
      const [data, mask] = INPUT_KEYS[String(p.role)]!;
      return [`${me} = inputs[${py(data)}]`, `${me}_mask = input_mask(inputs, ${py(data)}, ${py(mask)})`];
    }
    case 'embedding':
      return [`${me}, ${me}_mask = self.${me}(${v()}, ${m()})`];
    case 'elman':
    case 'lstm':
    case 'gru':
    case 'bidirectional':
    case 'stack': {
      const lines = [`${me}, ${me}_state = self.${me}(${v()}, ${m()})`, `${me}_mask = ${m()}`];
      if (!returnsSequence())
        lines.push(`${me} = ${me}_state[0]  # returnSequences off: the state after the last real step`);
      return lines;
    }
    // An encoder or decoder hands on every layer's final state (`_layers`); `_state` is the top one's.
    case 'encoder':
      return [
        `${me}, ${me}_layers = self.${me}(${v()}, ${m()})`,
        `${me}_state = ${me}_layers[-1]`,
        `${me}_mask = ${m()}`,
      ];
    case 'decoder': {
      // An encoder or decoder hands on one state per layer; a recurrent
      // block (LSTM, GRU, Elman, Stack) its top one.
      const source = plan.nodes.find((n) => n.id === wireInto(node, 'state').node)!;
      const incoming =
        source.kind === 'encoder' || source.kind === 'decoder'
          ? `${names.get(source.id)!}_layers`
          : `[${v('state')}]`;
      return [
        `${me}, ${me}_layers = self.${me}(${v()}, ${m()}, ${incoming})`,
        `${me}_state = ${me}_layers[-1]`,
        `${me}_mask = ${m()}`,
      ];
    }
    case 'dropout':
      return [`${me}, ${me}_mask = self.${me}(${v()}), ${m()}`];
    case 'dense':
      return [`${me}, ${me}_mask = self.${me}(${v()}), ${m()}`];
    case 'head':
      return [`${me} = self.${me}(${v()}, logits=logits)`, `outputs[${py(node.id)}] = ${me}`];
    case 'pooling':
      return [
        `${me}, ${me}_weights = self.${me}(${v()}, ${m()})`,
        `${me}_mask = None`,
        ...(p.mode === 'attention' ? [`outputs[${py(`${node.id}/attention`)}] = ${me}_weights`] : []),
      ];
    case 'state-space':
      return [`${me}, ${me}_mask = self.${me}(${v()}, ${m()}), ${m()}`];
    case 'self-attention':
      return [
        `${me}, ${me}_weights = self.${me}(${v()}, ${m()})`,
        `${me}_mask = ${m()}`,
        `outputs[${py(`${node.id}/attention`)}] = ${me}_weights`,
      ];
    case 'attention':
      return [
        `${me}, ${me}_weights = self.${me}(${v('query')}, ${v('memory')}, ${m('memory')})`,
        `${me}_mask = ${m('query')}`,
        `outputs[${py(`${node.id}/attention`)}] = ${me}_weights`,
      ];
    case 'concatenate':
    case 'add': {
      const parts = (node.inputs.in ?? []).map((ref) => names.get(ref.node)!);
      const expr = node.kind === 'add' ? parts.join(' + ') : `torch.cat([${parts.join(', ')}], -1)`;
      return [`${me} = ${expr}`, `${me}_mask = ${parts[0]}_mask`];
    }
    default:
      throw new Error(`The PyTorch export does not know blocks of kind "${node.kind}" (block "${node.id}").`);
  }
}

export function modelPy(plan: ModelPlan, projectName: string): string {
  const names = pythonNames(plan);
  const init: string[] = [];
  for (const node of plan.nodes) {
    const line = moduleLine(node);
    if (line) init.push(`        self.${names.get(node.id)} = ${line}`);
  }
  const forward = plan.nodes.flatMap((node) => forwardLines(node, names, plan)).map((l) => `        ${l}`);
  const loads = plan.nodes
    .filter((n) => moduleLine(n) && n.kind !== 'dropout')
    .map((n) => `        self.${names.get(n.id)}.load_studio(values, ${py(n.id)})`);
  const weightShapes = Object.fromEntries(
    plan.nodes.flatMap((n) => n.weights.map((w) => [`${n.id}/${w.name}`, w.shape])),
  );
  return `"""${projectName}: the RNN Studio model as a PyTorch nn.Module (generated by RNN Studio).

Attributes are the studio's block names. forward() takes the studio's batch tensors by name and returns
each head's output by head name (probabilities, or logits when logits=True), plus attention weights.
"""
import torch
from torch import nn

from seq2seq_layers import Decoder, Encoder
from studio_layers import (Attention, Dense, Embedding, Pooling, Recurrent, SelfAttention, Stack, StateSpace,
                           input_mask, read_studio_weights)


class StudioModel(nn.Module):
    def __init__(self):
        super().__init__()
${init.join('\n')}

    def forward(self, inputs, logits=False):
        outputs = {}
${forward.join('\n')}
        return outputs

    def load_studio_weights(self, folder, name="weights"):
        """Loads NAME.bin/NAME.json (the studio's Keras layout), converting gate order and layout."""
        values = read_studio_weights(folder, name)
        # Optimizer slots may lack weights that never had a gradient: those start from zeros.
        values = {k: values[k] if k in values else torch.zeros(shape) for k, shape in STUDIO_WEIGHTS.items()}
${loads.length > 0 ? loads.join('\n') : '        pass'}
        return self


HEADS = ${JSON.stringify(plan.heads.map((h) => h.id))}
STUDIO_WEIGHTS = ${JSON.stringify(weightShapes)}
`;
}
