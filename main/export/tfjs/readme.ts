// README.md and usage.mjs of the tfjs export.
import type { ProjectDoc } from '../../../core/project/index.js';
import type { ModelPlan } from '../plan.js';

export function tfjsReadme(
  project: ProjectDoc,
  plan: ModelPlan,
  customClasses: string[],
  trained: boolean,
): string {
  const custom = customClasses.length > 0;
  const inputs = Object.entries(plan.inputs)
    .map(([role, n]) => `\`${n.id}\` (${role})`)
    .join(', ');
  const outputs = plan.heads.map((h) => `\`${h.id}\``).join(', ');
  return `# ${project.name} — TensorFlow.js export

Exported by RNN Studio. Task: **${project.task}**. A tfjs LayersModel: \`model.json\` + \`weights.bin\`.
${trained ? '' : '\n**These weights are zeros: the project was not trained when it was exported.**\n'}
Inputs: ${inputs}, int32 token ids [batch, time] right-padded with 0 (id 0 is padding and is masked), or
float32 features [batch, time, features] with padded steps all zero. Outputs: ${outputs}.
${
  custom
    ? `
This model uses RNN Studio layers that tfjs-layers does not have (${customClasses.join(', ')}). They are in
\`studio-layers.js\`, a self-contained module: **import it once before loading** and the layers register
themselves.

\`\`\`js
import * as tf from '@tensorflow/tfjs';
import './studio-layers.js';
const model = await tf.loadLayersModel('https://your.host/path/model.json');
\`\`\`
`
    : `
Every block maps to a stock tfjs-layers class, so plain \`@tensorflow/tfjs\` loads it:

\`\`\`js
import * as tf from '@tensorflow/tfjs';
const model = await tf.loadLayersModel('https://your.host/path/model.json');
\`\`\`
`
}
In Node without \`@tensorflow/tfjs-node\` (which adds \`file://\`), load from disk with a small IO handler —
\`usage.mjs\` does exactly that and shows the preprocessing: \`node usage.mjs "some text"\`.

\`preprocessing.json\` holds the tokenizer (kind, lowercase), the vocabulary (id = index; 0 \`<pad>\`,
1 \`<unk>\`, 2 \`<s>\`, 3 \`</s>\`), class or tag labels and the longest sequence the model was trained on.
Language models read \`<s>\` first; sequence-to-sequence models read the source and a target that starts
with \`<s>\`.
`;
}

export function usageSnippet(custom: boolean): string {
  return `// Loads the exported model with stock @tensorflow/tfjs from this folder and predicts on one text.
//   npm install @tensorflow/tfjs && node usage.mjs "some text"
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
${custom ? "import './studio-layers.js';\n" : ''}
const here = new URL('.', import.meta.url);
const read = (name) => readFileSync(new URL(name, here));

/** An IO handler reading model.json and its weight file from disk. */
const fromDisk = {
  async load() {
    const json = JSON.parse(read('model.json'));
    const bytes = read(json.weightsManifest[0].paths[0]);
    return {
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    };
  },
};

const pre = JSON.parse(read('preprocessing.json'));
const ids = new Map((pre.vocabulary ?? []).map((token, i) => [token, i]));

/** Character or word tokens to ids (unknown -> <unk>; the studio spells unknown characters as escapes). */
function encode(text) {
  const folded = pre.tokenizer?.lowercase ? text.toLowerCase() : text;
  const tokens = pre.tokenizer?.kind === 'word'
    ? folded.match(/[\\p{L}\\p{M}\\p{N}]+(?:['’-][\\p{L}\\p{M}\\p{N}]+)*|[^\\s\\p{L}\\p{M}\\p{N}]/gu) ?? []
    : Array.from(folded);
  return tokens.map((t) => ids.get(t) ?? 1);
}

const model = await tf.loadLayersModel(fromDisk);
const text = process.argv[2] ?? 'hello';
if (pre.inputRole !== 'tokens') {
  console.log('This model reads', pre.inputRole, 'input: build its tensors as the README says.');
} else {
  const tokenIds = pre.task === 'language-model' ? [2, ...encode(text)] : encode(text);
  const output = model.predict(tf.tensor2d([tokenIds], [1, tokenIds.length], 'int32'));
  const probabilities = await output.array();
  if (pre.task === 'classification') {
    const p = probabilities[0];
    p.forEach((v, i) => console.log(pre.labels?.[i] ?? i, v.toFixed(4)));
  } else {
    console.log(JSON.stringify(probabilities[0]).slice(0, 400));
  }
}
`;
}
