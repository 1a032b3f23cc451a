// exportPreview: what the studio's read-only code view shows for each format, without trained weights.
import { describe, expect, it } from 'vitest';
import { exportPreview, EXPORTERS } from '../../../../main/export/index.js';
import { templateCase } from './helpers.js';

describe('exportPreview', () => {
  const doc = templateCase('sentiment').project;

  it('pytorch: model.py names the studio blocks and converts the LSTM gates on load', () => {
    const files = exportPreview(doc, 'pytorch').files;
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['model.py', 'studio_layers.py', 'data.py', 'train.py', 'predict.py', 'README.md', 'config.json', 'weights.json', 'weights.bin']));
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
    expect(model.modelTopology.config.layers.map((l) => l.class_name)).toEqual(['InputLayer', 'Embedding', 'Bidirectional', 'StudioPooling', 'Dense']);
    expect(model.weightsManifest[0]!.weights.map((w) => w.name)).toContain('bilstm/forward_bilstm-cell/recurrent_kernel');
    expect(files.map((f) => f.path)).toContain('studio-layers.js');
  });

  it('json: the architecture alone', () => {
    const [file] = exportPreview(doc, 'json').files;
    expect(JSON.parse(file!.text)).toMatchObject({ format: 'rnn-studio-architecture' });
  });

  it('lists every format once', () => {
    expect(EXPORTERS.map((e) => e.format)).toEqual(['tfjs', 'pytorch', 'json']);
  });
});
