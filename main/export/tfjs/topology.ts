// The graph as a tfjs LayersModel topology (Keras functional-model JSON), plus the name each studio weight
// takes in it. Stock tfjs-layers classes wherever they compute what the block computes (Embedding, LSTM,
// SimpleRNN, GRU without reset-after, Bidirectional, Dense, Dropout, Masking, Concatenate); studio custom
// layers (studio-layers.js) for the rest: reset-after GRU cells, decoders, add, one-hot, pooling,
// state-space, attention, self-attention. Encoders and decoders are laid out by ./seq2seq.ts.
import { recurrentLayer, widthAt, wireInto, type ModelPlan, type PlanNode } from '../plan.js';
import { ref, type Json, type Ref, type TopologyContext } from './context.js';
import { recurrentConfig } from './recurrentConfig.js';
import { decoderLayers, encoderLayers } from './seq2seq.js';

export interface Topology {
  modelTopology: Json;
  /** Studio weight name -> tfjs weight name (originalName, what loadLayersModel matches). */
  weightNames: Map<string, string>;
  /** Custom classes used (empty: stock tfjs loads it alone). */
  customClasses: Set<string>;
}

const zeros = { class_name: 'Zeros', config: {} };

export function buildTopology(plan: ModelPlan, modelName: string): Topology {
  const layers: Json[] = [];
  const weightNames = new Map<string, string>();
  const custom = new Set<string>();
  /** tfjs tensor reference of each studio output port; `state` ports map to several tensors. */
  const refs = new Map<string, Ref[]>();
  const inputs: Ref[] = [];
  const addShared = (name: string, className: string, config: Json, inbounds: Ref[][]) => {
    layers.push({
      name,
      class_name: className,
      config: { name, trainable: true, ...config },
      inbound_nodes: inbounds,
    });
  };
  const add = (name: string, className: string, config: Json, inbound: Ref[] | null) =>
    addShared(name, className, config, inbound ? [inbound] : []);
  const from = (node: PlanNode, port = 'in'): Ref[] => {
    const ref = wireInto(node, port);
    const r = refs.get(`${ref.node}.${ref.port}`);
    if (!r)
      throw new Error(
        `The tfjs export cannot follow the wire from "${ref.node}.${ref.port}" into block "${node.id}".`,
      );
    return r;
  };
  const same = (node: PlanNode) => {
    for (const spec of node.weights) weightNames.set(`${node.id}/${spec.name}`, `${node.id}/${spec.name}`);
  };
  const wired = (node: PlanNode, port: string) =>
    plan.nodes.some((n) =>
      Object.values(n.inputs).some((list) => list.some((r) => r.node === node.id && r.port === port)),
    );
  const ctx: TopologyContext = {
    add,
    addShared,
    from,
    weightNames,
    custom,
    wired,
    refs,
    layerStates: new Map(),
  };

  for (const node of plan.nodes) {
    const p = node.params;
    const id = node.id;
    switch (node.kind) {
      case 'input': {
        const features = p.role === 'features' ? Number(p.features) : 0;
        add(
          id,
          'InputLayer',
          {
            batch_input_shape: features ? [null, null, features] : [null, null],
            dtype: features ? 'float32' : 'int32',
            sparse: false,
          },
          null,
        );
        inputs.push(ref(id));
        if (features) {
          // Padded steps of numeric input are all-zero vectors; Masking turns them into the mask.
          add(`${id}-mask`, 'Masking', { mask_value: 0 }, [ref(id)]);
          refs.set(`${id}.out`, [ref(`${id}-mask`)]);
        } else refs.set(`${id}.out`, [ref(id)]);
        break;
      }
      case 'embedding':
        if (p.oneHot) {
          custom.add('StudioOneHot');
          add(id, 'StudioOneHot', { vocabularySize: p.vocabularySize, maskZero: p.maskZero }, from(node));
        } else {
          add(
            id,
            'Embedding',
            {
              input_dim: p.vocabularySize,
              output_dim: p.dimension,
              embeddings_initializer: zeros,
              mask_zero: p.maskZero,
            },
            from(node),
          );
          same(node);
        }
        refs.set(`${id}.out`, [ref(id)]);
        break;
      case 'elman':
      case 'lstm':
      case 'gru': {
        const layer = recurrentLayer(node);
        const returnState = wired(node, 'state');
        const cfg = recurrentConfig(id, layer, p.returnSequences !== false, returnState, custom);
        add(id, cfg.class_name as string, cfg.config as Json, from(node));
        same(node);
        refs.set(`${id}.out`, [ref(id)]);
        if (returnState)
          refs.set(`${id}.state`, layer.kind === 'lstm' ? [ref(id, 1), ref(id, 2)] : [ref(id, 1)]);
        break;
      }
      case 'encoder':
        encoderLayers(node, ctx);
        break;
      case 'decoder':
        decoderLayers(node, ctx);
        break;
      case 'bidirectional': {
        const layer = recurrentLayer(node);
        const inner = recurrentConfig(
          `${id}-cell`,
          layer,
          layer.params.returnSequences !== false,
          false,
          custom,
        );
        const merge = { concat: 'concat', sum: 'sum', average: 'ave', multiply: 'mul' }[p.merge as string];
        add(id, 'Bidirectional', { layer: inner, merge_mode: merge }, from(node));
        for (const spec of node.weights)
          weightNames.set(
            `${id}/${spec.name}`,
            `${id}/${spec.name.replace(/^(forward|backward)\//, `$1_${id}-cell/`)}`,
          );
        refs.set(`${id}.out`, [ref(id)]);
        break;
      }
      case 'stack': {
        const layer = recurrentLayer(node);
        const count = Number(p.layers);
        let x = from(node);
        for (let i = 1; i <= count; i++) {
          const name = `${id}-layer${i}`;
          const last = i === count;
          const cfg = recurrentConfig(
            name,
            layer,
            last ? layer.params.returnSequences !== false : true,
            last && wired(node, 'state'),
            custom,
          );
          add(name, cfg.class_name as string, cfg.config as Json, x);
          let y: Ref[] = [ref(name)];
          // Residual wherever the layer's input is as wide as its output, as the studio's stack does.
          const widthMatches = i > 1 || widthAt(node) === Number(layer.params.units);
          if (p.residual === true && widthMatches && (!last || layer.params.returnSequences !== false)) {
            custom.add('StudioAdd');
            add(`${name}-residual`, 'StudioAdd', {}, [...x, ...y]);
            y = [ref(`${name}-residual`)];
          }
          if (!last && Number(p.dropout) > 0) {
            add(`${name}-dropout`, 'Dropout', { rate: p.dropout }, y);
            y = [ref(`${name}-dropout`)];
          }
          x = y;
          for (const w of ['kernel', 'recurrent_kernel', 'bias'])
            weightNames.set(`${id}/layer${i}/${w}`, `${name}/${w}`);
          if (last && wired(node, 'state'))
            refs.set(`${id}.state`, layer.kind === 'lstm' ? [ref(name, 1), ref(name, 2)] : [ref(name, 1)]);
        }
        refs.set(`${id}.out`, x);
        break;
      }
      case 'dropout':
        add(id, 'Dropout', { rate: p.rate }, from(node));
        refs.set(`${id}.out`, [ref(id)]);
        break;
      case 'dense':
      case 'head':
        add(
          id,
          'Dense',
          {
            units: p.units,
            activation: p.activation,
            use_bias: true,
            kernel_initializer: zeros,
            bias_initializer: zeros,
          },
          from(node),
        );
        same(node);
        refs.set(`${id}.out`, [ref(id)]);
        break;
      case 'pooling':
        custom.add('StudioPooling');
        add(id, 'StudioPooling', { mode: p.mode, units: p.units }, from(node));
        same(node);
        refs.set(`${id}.out`, [ref(id)]);
        break;
      case 'state-space':
        custom.add('StudioStateSpace');
        add(
          id,
          'StudioStateSpace',
          { stateSize: p.stateSize, diagonal: p.diagonal, learnStep: p.learnStep === true },
          from(node),
        );
        same(node);
        refs.set(`${id}.out`, [ref(id)]);
        break;
      case 'self-attention':
        custom.add('StudioSelfAttention');
        add(
          id,
          'StudioSelfAttention',
          {
            heads: p.heads,
            feedForward: p.feedForward,
            causal: p.causal,
            positionalEncoding: p.positionalEncoding,
            maxLength: p.maxLength,
          },
          from(node),
        );
        same(node);
        refs.set(`${id}.out`, [ref(id)]);
        break;
      case 'attention':
        custom.add('StudioAttention');
        add(id, 'StudioAttention', { score: p.score, units: p.units, scaled: p.scaled }, [
          ...from(node, 'memory'),
          ...from(node, 'query'),
        ]);
        same(node);
        refs.set(`${id}.context`, [ref(id)]);
        break;
      case 'concatenate':
      case 'add': {
        const parts = (node.inputs.in ?? []).map((r) => refs.get(`${r.node}.${r.port}`)![0]!);
        if (node.kind === 'add') custom.add('StudioAdd');
        add(
          id,
          node.kind === 'add' ? 'StudioAdd' : 'Concatenate',
          node.kind === 'add' ? {} : { axis: -1 },
          parts,
        );
        refs.set(`${id}.out`, [ref(id)]);
        break;
      }
      default:
        throw new Error(`The tfjs export does not know blocks of kind "${node.kind}" (block "${id}").`);
    }
  }
  const modelTopology = {
    class_name: 'Model',
    config: {
      name: modelName,
      layers,
      input_layers: inputs.map((r) => r.slice(0, 3)),
      output_layers: plan.heads.map((h) => [h.id, 0, 0]),
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
  return { modelTopology, weightNames, customClasses: custom };
}
