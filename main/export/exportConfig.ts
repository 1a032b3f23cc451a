// config.json of an export: what predict/train code needs besides the graph (task, tokenizer and
// vocabulary, labels, input role, training settings, which blocks' attention weights to show). Shared by
// the PyTorch and tfjs exports, and by main/inference so they read the same facts the same way.
import type { ProjectDoc } from '../../core/project/index.js';
import type { ModelPlan } from './plan.js';

export interface ExportConfig {
  format: 'rnn-studio-export';
  name: string;
  task: ProjectDoc['task'];
  heads: string[];
  headActivation: string;
  /** tokens | features | source (seq2seq reads source and target). */
  inputRole: string;
  /** Kind, case folding and (subword) the BPE merges in rank order. */
  tokenizer: { kind: string; lowercase: boolean; merges?: [string, string][] } | null;
  vocabulary: string[] | null;
  labels: string[] | null;
  maxLength: number;
  /** Pooling block with attention weights per token (classification), or null. */
  attentionPooling: string | null;
  /** Attention block whose weights form the translate heatmap, or null. */
  attention: string | null;
  training: ProjectDoc['training'];
}

export function exportConfig(project: ProjectDoc, plan: ModelPlan): ExportConfig {
  const head = plan.heads[0]!;
  const dataset = project.dataset;
  const role = plan.inputs.source ? 'source' : plan.inputs.features ? 'features' : 'tokens';
  return {
    format: 'rnn-studio-export',
    name: project.name,
    task: project.task,
    heads: plan.heads.map((h) => h.id),
    headActivation: String(head.params.activation),
    inputRole: role,
    tokenizer: dataset
      ? {
          kind: dataset.tokenizer.kind,
          lowercase: dataset.tokenizer.lowercase,
          ...(dataset.tokenizer.merges ? { merges: dataset.tokenizer.merges } : {}),
        }
      : null,
    vocabulary: dataset?.vocabulary ?? null,
    labels: dataset?.labels ?? null,
    maxLength: dataset?.maxLength ?? 200,
    attentionPooling:
      plan.nodes.find((n) => n.kind === 'pooling' && n.params.mode === 'attention')?.id ?? null,
    attention: plan.nodes.find((n) => n.kind === 'attention')?.id ?? null,
    training: project.training,
  };
}
