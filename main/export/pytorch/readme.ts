// README.md of the PyTorch export: how to install, predict, continue training (also distributed), and
// what each file is.
import type { ProjectDoc } from '../../../core/project/index.js';
import type { ModelPlan } from '../plan.js';

export function pytorchReadme(project: ProjectDoc, plan: ModelPlan, trained: boolean): string {
  const t = project.training;
  const blocks = plan.nodes.map((n) => `\`${n.id}\` (${n.kind})`).join(', ');
  const clipping = `${t.clipping.kind}${t.clipping.kind === 'none' ? '' : ` ${t.clipping.value}`}`;
  return `# ${project.name} — PyTorch export

Exported by RNN Studio. Task: **${project.task}**. Blocks: ${blocks}.
${trained ? '' : '\n**These weights are zeros: the project was not trained when it was exported.**\n'}
Needs Python 3.8+, PyTorch 1.10+ and numpy. No RNN Studio code.

## Predict

\`\`\`sh
# the same JSON as: rnn-studio predict <project> --input "your text" --json
python predict.py --input "your text" --json
\`\`\`

## Continue training

Same optimizer (${t.optimizer.kind}, learning rate ${t.optimizer.learningRate}), schedule (${t.schedule.kind})
and gradient clipping (${clipping}) as in the studio; the data is \`data/train.jsonl\` (the studio's encoded
training examples).

\`\`\`sh
python train.py --epochs ${t.epochs}                          # one process
torchrun --nproc_per_node 2 train.py --epochs ${t.epochs}     # data-parallel: gloo on CPU, NCCL on GPUs
torchrun --nnodes 2 --node_rank 0 --master_addr HOST --nproc_per_node 8 train.py   # several machines
python predict.py --checkpoint checkpoint.pt --input "your text"
\`\`\`

With PyTorch 1.13 on Python 3.11 (Debian 12), torchrun fails at start with
\`'NoneType' object has no attribute 'get'\`; add \`--redirects 1 --tee 1\` to its options (any non-zero
value avoids the bug).

## Files

- \`model.py\` — the model as an \`nn.Module\`; attribute names are the studio's block names.
- \`studio_layers.py\` — the layers it uses. LSTM, GRU and Elman blocks are \`nn.LSTM\`, \`nn.GRU\`,
  \`nn.RNN\`; padded steps are skipped with \`pack_padded_sequence\`.
- \`seq2seq_layers.py\` — encoder (stacked, bidirectional), bridge and decoder (stacked) of
  sequence-to-sequence models.
- \`weights.bin\` + \`weights.json\` — the studio's weights (little-endian float32, Keras layout).
  \`load_studio_weights\` converts them: kernels are transposed; LSTM gates i,f,c,o keep their order
  (one bias becomes \`bias_ih\`, \`bias_hh\` is zero); GRU gates z,r,h become torch's r,z,n and the
  reset-after bias [2, 3H] becomes \`bias_ih\`/\`bias_hh\`.
- \`data.py\` — tokenizer (character and word) and batching with the studio's tensor names; padding id 0.
- \`config.json\` — task, vocabulary, labels and training settings.
`;
}
