// exportPreview: what the studio's read-only code view shows for each format, without trained weights.
import { describe, expect, it } from 'vitest';
import { exportPreview, EXPORTERS } from '../../../../main/export/index.js';
import { templateCase } from './helpers.js';
import { graphCase } from './graphs.js';

describe('exportPreview', () => {
  const doc = templateCase('sentiment').project;

  it('pytorch: model.py names the studio blocks and converts the LSTM gates on load', () => {
    const files = exportPreview(doc, 'pytorch').files;
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'model.py',
        'studio_layers.py',
        'data.py',
        'train.py',
        'predict.py',
        'README.md',
        'config.json',
        'weights.json',
        'weights.bin',
      ]),
    );
    const model = files.find((f) => f.path === 'model.py')!.text;
    expect(model).toContain('self.bilstm = Recurrent("lstm", 32, 32, bidirectional=True, merge="concat")');
    expect(model).toContain('self.pool = Pooling("attention", 64, 32)');
    expect(model).toContain('outputs["pool/attention"] = pool_weights');
    expect(files.find((f) => f.path === 'weights.bin')!.text).toMatch(/^\(binary file, \d+ bytes/);
    expect(files.find((f) => f.path === 'README.md')!.text).toContain('weights are zeros');
  });

  it('tfjs: a LayersModel topology with stock layers and the custom pooling layer', () => {
    const files = exportPreview(doc, 'tfjs').files;
    const model = JSON.parse(files.find((f) => f.path === 'model.json')!.text) as {
      format: string;
      modelTopology: { config: { layers: { class_name: string; name: string }[] } };
      weightsManifest: { weights: { name: string }[] }[];
    };
    expect(model.format).toBe('layers-model');
    expect(model.modelTopology.config.layers.map((l) => l.class_name)).toEqual([
      'InputLayer',
      'Embedding',
      'Bidirectional',
      'StudioPooling',
      'Dense',
    ]);
    expect(model.weightsManifest[0]!.weights.map((w) => w.name)).toContain(
      'bilstm/forward_bilstm-cell/recurrent_kernel',
    );
    expect(files.map((f) => f.path)).toContain('studio-layers.js');
  });

  it(
    'seq2seq options: model.py builds the stacked ' + 'bidirectional encoder and the bridged stacked decoder',
    () => {
      const files = exportPreview(
        graphCase('seq2seq-stacked-bielman-to-lstm3-general').project,
        'pytorch',
      ).files;
      expect(files.map((f) => f.path)).toContain('seq2seq_layers.py');
      const model = files.find((f) => f.path === 'model.py')!.text;
      expect(model).toContain(
        'self.encoder = Encoder("elman", 6, 5, activation="tanh", layers=2, bidirectional=True, dropout=0)',
      );
      // The state is 2 x 5 wide, the decoder 7: state_size 10 makes the Decoder add its bridge. An Elman
      // state has no cell: the LSTM decoder starts from c = 0 and its bridge maps h only.
      expect(model).toContain(
        'self.decoder = Decoder("lstm", 6, 7, layers=3, state_size=10, state_cell=False, dropout=0)',
      );
      expect(model).toContain(
        'decoder, decoder_layers = self.decoder(targetEmbed, targetEmbed_mask, encoder_layers)',
      );
      const weights = JSON.parse(files.find((f) => f.path === 'weights.json')!.text) as {
        weights: { name: string }[];
      };
      const names = weights.weights.map((w) => w.name);
      expect(names).toContain('decoder/bridge/kernel');
      expect(names.filter((n) => n.startsWith('decoder/bridge/cell'))).toEqual([]);
    },
  );

  it(
    'seq2seq options: tfjs lays out one layer per level, ' +
      'joins the directions and bridges with shared Dense layers',
    () => {
      const files = exportPreview(
        graphCase('seq2seq-stacked-bilstm-to-lstm2-paired-bridge').project,
        'tfjs',
      ).files;
      const model = JSON.parse(files.find((f) => f.path === 'model.json')!.text) as {
        modelTopology: {
          config: { layers: { class_name: string; name: string; inbound_nodes: unknown[] }[] };
        };
        weightsManifest: { weights: { name: string }[] }[];
      };
      const layers = model.modelTopology.config.layers;
      const byName = new Map(layers.map((l) => [l.name, l]));
      expect(byName.get('encoder-layer2')!.class_name).toBe('Bidirectional');
      expect(byName.get('encoder-layer1-h')!.class_name).toBe('Concatenate');
      expect(byName.get('decoder-layer2')!.class_name).toBe('StudioDecoder');
      // Two encoder levels paired with two decoder levels: the bridge is
      // called once per level, one set of weights.
      expect(byName.get('decoder-bridge')!.inbound_nodes).toHaveLength(2);
      expect(byName.get('decoder-bridge-cell')!.inbound_nodes).toHaveLength(2);
      const names = model.weightsManifest[0]!.weights.map((w) => w.name);
      expect(names).toContain('encoder-layer2/backward_encoder-layer2-cell/recurrent_kernel');
      expect(layers.some((l) => l.class_name === 'StudioZeroState')).toBe(false);
      expect(names.filter((n) => n.startsWith('decoder-bridge'))).toEqual([
        'decoder-bridge/kernel',
        'decoder-bridge/bias',
        'decoder-bridge-cell/kernel',
        'decoder-bridge-cell/bias',
      ]);
    },
  );

  it(
    'seq2seq options: tfjs leaves out the cell bridge ' +
      'an LSTM decoder after an Elman encoder never reads',
    () => {
      const files = exportPreview(
        graphCase('seq2seq-stacked-bielman-to-lstm3-general').project,
        'tfjs',
      ).files;
      const model = JSON.parse(files.find((f) => f.path === 'model.json')!.text) as {
        modelTopology: { config: { layers: { class_name: string; name: string }[] } };
        weightsManifest: { weights: { name: string }[] }[];
      };
      const names = model.weightsManifest[0]!.weights.map((w) => w.name);
      expect(names).toContain('decoder-bridge/kernel');
      expect(names.some((n) => n.includes('cell_kernel') || n.startsWith('decoder-bridge-cell'))).toBe(false);
      expect(
        model.modelTopology.config.layers
          .filter((l) => l.class_name === 'StudioZeroState')
          .map((l) => l.name),
      ).toEqual(['decoder-zero-c1']);
    },
  );

  it('json: the architecture alone', () => {
    const [file] = exportPreview(doc, 'json').files;
    expect(JSON.parse(file!.text)).toMatchObject({ format: 'rnn-studio-architecture' });
  });

  it('lists every format once', () => {
    expect(EXPORTERS.map((e) => e.format)).toEqual(['tfjs', 'pytorch', 'json']);
  });
});
