// Encoder and Decoder blocks as tfjs layers, computing what core/engine/seq2seq/{encoder,bridge}.ts and the
// decoder block compute:
// - an encoder is one recurrent layer per `layers` (named `<id>` when there is one, `<id>-layerN` when
//   stacked), each a stock Bidirectional (concat) when bidirectional; its final states, both directions
//   concatenated (Concatenate layers `<id>-layerN-h`/`-c`), are kept per layer for the decoder;
// - a decoder is one StudioDecoder per layer, layer i started from incoming state i when the counts match,
//   else from the top one; a state of another width passes through the bridge: stock Dense layers
//   `<id>-bridge` (tanh, h) and `<id>-bridge-cell` (linear, c of an LSTM decoder), shared by every state
//   they map (one inbound node each); an LSTM decoder given no c starts from StudioZeroState (c = 0).
import { recurrentLayer, widthAt, type PlanNode } from '../plan.js';
import { ref, type Ref, type TopologyContext } from './context.js';
import { asDecoder, recurrentConfig } from './recurrentConfig.js';

const zeros = { class_name: 'Zeros', config: {} };

function layerName(id: string, i: number, layers: number): string {
  return layers > 1 ? `${id}-layer${i + 1}` : id;
}

/** Studio weight prefix of layer i inside the block ('' when there is one layer). */
function studioPrefix(i: number, layers: number): string {
  return layers > 1 ? `layer${i + 1}/` : '';
}

const CELL_WEIGHTS = ['kernel', 'recurrent_kernel', 'bias'];

export function encoderLayers(node: PlanNode, ctx: TopologyContext): void {
  const layer = recurrentLayer(node);
  const count = Number(node.params.layers ?? 1);
  const bidirectional = node.params.bidirectional === true;
  // The bridge pairs decoder layers with encoder layers, so every layer
  // returns its state when the state is read.
  const returnState = ctx.wired(node, 'state');
  const perDirection = layer.kind === 'lstm' ? 2 : 1;
  let x = ctx.from(node);
  const states: Ref[][] = [];
  for (let i = 0; i < count; i++) {
    const name = layerName(node.id, i, count);
    const prefix = `${node.id}/${studioPrefix(i, count)}`;
    if (bidirectional) {
      const inner = recurrentConfig(`${name}-cell`, layer, true, returnState, ctx.custom);
      ctx.add(name, 'Bidirectional', { layer: inner, merge_mode: 'concat' }, x);
      for (const direction of ['forward', 'backward']) {
        for (const w of CELL_WEIGHTS)
          ctx.weightNames.set(`${prefix}${direction}/${w}`, `${name}/${direction}_${name}-cell/${w}`);
      }
      if (returnState) {
        // Outputs: sequence, forward h[, c], backward h[, c]; the studio's state is [h_f h_b][, [c_f c_b]].
        const joined = ['h', 'c'].slice(0, perDirection).map((part, k) => {
          const joinName = `${name}-${part}`;
          ctx.add(joinName, 'Concatenate', { axis: -1 }, [ref(name, 1 + k), ref(name, 1 + perDirection + k)]);
          return ref(joinName);
        });
        states.push(joined);
      }
    } else {
      const cfg = recurrentConfig(name, layer, true, returnState, ctx.custom);
      ctx.add(name, cfg.class_name as string, cfg.config as Record<string, unknown>, x);
      for (const w of CELL_WEIGHTS) ctx.weightNames.set(`${prefix}${w}`, `${name}/${w}`);
      if (returnState) states.push(Array.from({ length: perDirection }, (_, k) => ref(name, 1 + k)));
    }
    x = [ref(name)];
  }
  ctx.refs.set(`${node.id}.memory`, x);
  if (returnState) {
    ctx.layerStates.set(node.id, states);
    ctx.refs.set(`${node.id}.state`, states[states.length - 1]!);
  }
}

/** The initial state of each decoder layer (refs [h] or [h, c]), bridged where the widths differ. */
function initialStates(node: PlanNode, ctx: TopologyContext, count: number, lstm: boolean): Ref[][] {
  // An encoder's or decoder's state is one per layer; a recurrent block's
  // (LSTM, GRU, Elman, Stack) is its top one.
  const source = node.inputs.state?.[0]?.node;
  const incoming = (source ? ctx.layerStates.get(source) : undefined) ?? [ctx.from(node, 'state')];
  const units = Number(recurrentLayer(node).params.units);
  const bridge = widthAt(node, 'state') !== units;
  // Which incoming states are used: each one by its layer when the counts match, else the top one for all.
  const used = incoming.length === count ? incoming : [incoming[incoming.length - 1]!];
  const pick = (i: number) => (incoming.length === count ? i : 0);
  let starts: Ref[][] = used;
  if (bridge) {
    const dense = (activation: string) => ({
      units,
      activation,
      use_bias: true,
      kernel_initializer: zeros,
      bias_initializer: zeros,
    });
    ctx.addShared(
      `${node.id}-bridge`,
      'Dense',
      dense('tanh'),
      used.map((s) => [s[0]!]),
    );
    ctx.weightNames.set(`${node.id}/bridge/kernel`, `${node.id}-bridge/kernel`);
    ctx.weightNames.set(`${node.id}/bridge/bias`, `${node.id}-bridge/bias`);
    const withCell = lstm && used.every((s) => s.length > 1);
    if (withCell) {
      ctx.addShared(
        `${node.id}-bridge-cell`,
        'Dense',
        dense('linear'),
        used.map((s) => [s[1]!]),
      );
      ctx.weightNames.set(`${node.id}/bridge/cell_kernel`, `${node.id}-bridge-cell/kernel`);
      ctx.weightNames.set(`${node.id}/bridge/cell_bias`, `${node.id}-bridge-cell/bias`);
    }
    starts = used.map((_, j) =>
      withCell
        ? [ref(`${node.id}-bridge`, 0, j), ref(`${node.id}-bridge-cell`, 0, j)]
        : [ref(`${node.id}-bridge`, 0, j)],
    );
  }
  // An LSTM decoder after a GRU or Elman encoder starts from c0 = 0, as the studio does (one per start used).
  const zeroCells = starts.map((start, j) => {
    if (!lstm || start.length > 1) return null;
    const name = `${node.id}-zero-c${j + 1}`;
    ctx.custom.add('StudioZeroState');
    ctx.add(name, 'StudioZeroState', { units }, [start[0]!]);
    return ref(name);
  });
  return Array.from({ length: count }, (_, i) => {
    const start = starts[pick(i)]!;
    if (!lstm) return [start[0]!];
    const zero = zeroCells[pick(i)];
    return zero ? [start[0]!, zero] : start;
  });
}

export function decoderLayers(node: PlanNode, ctx: TopologyContext): void {
  const layer = recurrentLayer(node);
  const count = Number(node.params.layers ?? 1);
  const lstm = layer.kind === 'lstm';
  const returnState = ctx.wired(node, 'state');
  const starts = initialStates(node, ctx, count, lstm);
  let x = ctx.from(node);
  const states: Ref[][] = [];
  for (let i = 0; i < count; i++) {
    const name = layerName(node.id, i, count);
    const cfg = asDecoder(recurrentConfig(name, layer, true, returnState, ctx.custom));
    ctx.custom.add('StudioDecoder');
    ctx.add(name, cfg.class_name as string, cfg.config as Record<string, unknown>, [...x, ...starts[i]!]);
    for (const w of CELL_WEIGHTS)
      ctx.weightNames.set(`${node.id}/${studioPrefix(i, count)}${w}`, `${name}/${w}`);
    if (returnState) states.push(Array.from({ length: lstm ? 2 : 1 }, (_, k) => ref(name, 1 + k)));
    x = [ref(name)];
  }
  ctx.refs.set(`${node.id}.out`, x);
  if (returnState) {
    ctx.layerStates.set(node.id, states);
    ctx.refs.set(`${node.id}.state`, states[states.length - 1]!);
  }
}
