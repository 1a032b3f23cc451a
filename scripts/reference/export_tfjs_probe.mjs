// Loads tfjs exports with stock @tensorflow/tfjs (no studio code) and prints their outputs on a probe.
// usage: node scripts/reference/export_tfjs_probe.mjs DIR [DIR ...]  ->  {DIR: {output: {shape, data}}}
// Each DIR is a folder written by the tfjs export plus probe.json: {"feeds": [[dtype, nested array], ...]}
// in the order of the model's inputs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');
const results = {};
for (const dir of process.argv.slice(2)) {
  if (existsSync(path.join(dir, 'studio-layers.js')))
    await import(pathToFileURL(path.join(dir, 'studio-layers.js')).href);
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bytes = readFileSync(path.join(dir, json.weightsManifest[0].paths[0]));
  const model = await tf.loadLayersModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }),
  });
  const probe = JSON.parse(readFileSync(path.join(dir, 'probe.json'), 'utf8'));
  const feeds = probe.feeds.map(([dtype, data]) => tf.tensor(data, undefined, dtype));
  let out = model.predict(feeds.length === 1 ? feeds[0] : feeds);
  out = Array.isArray(out) ? out : [out];
  results[dir] = {};
  model.outputNames.forEach((name, i) => {
    results[dir][name] = { shape: out[i].shape, data: Array.from(out[i].dataSync()) };
  });
}
console.log(JSON.stringify(results));
