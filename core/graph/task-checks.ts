// Does the graph fit the task and the data? Reads the task table (core/data/tasks.ts) rather than
// hard-coding task knowledge: input roles, head activation, per-sequence vs per-step output, head units,
// vocabulary size, and models that would see the future when predicting the next token.
import { TASKS, type TaskId } from '../data/spec.js';
import type { DataFacts } from '../catalog/types.js';
import type { GraphInference } from './infer.js';
import type { Diagnostic, Graph } from './types.js';

function diag(
  severity: Diagnostic['severity'],
  code: string,
  message: string,
  where: Partial<Diagnostic> = {},
): Diagnostic {
  return { severity, code, message, ...where };
}

export function checkTask(
  graph: Graph,
  inference: GraphInference,
  task: TaskId,
  data: DataFacts,
): Diagnostic[] {
  const info = TASKS[task];
  const out: Diagnostic[] = [];
  const ofKind = (kind: string) => graph.nodes.filter((n) => n.kind === kind);

  const inputs = ofKind('input');
  if (inputs.length === 0)
    out.push(
      diag('error', 'no-input', 'The model has no Input block. Drag one from "Inputs & embeddings".', {
        field: 'graph.nodes',
      }),
    );
  const roles = inputs
    .map((n) => inference.nodes[n.id]?.params?.role)
    .filter((r): r is string => typeof r === 'string');
  const fits = info.inputRoles.some(
    (set) => set.length === roles.length && set.every((r) => roles.includes(r)),
  );
  if (inputs.length > 0 && roles.length === inputs.length && !fits) {
    const want = info.inputRoles.map((set) => set.join(' + ')).join(' or ');
    out.push(
      diag(
        'error',
        'input-roles',
        `${info.title} reads inputs with role ${want}; this model has ${roles.join(' + ') || 'none'}. ` +
          `Change the role of the Input block${inputs.length > 1 ? 's' : ''}.`,
        { node: inputs[0]!.id, field: 'role' },
      ),
    );
  }

  const heads = ofKind('head');
  if (heads.length === 0)
    out.push(
      diag(
        'error',
        'no-head',
        `The model has no Output head. End it with one (${info.head.activations.join(' or ')}).`,
        { field: 'graph.nodes' },
      ),
    );
  if (heads.length > 1)
    out.push(
      diag(
        'error',
        'head-count',
        `The model has ${heads.length} output heads (${heads.map((h) => h.id).join(', ')}); a ` +
          `${info.title.toLowerCase()} model has one.`,
        { node: heads[1]!.id },
      ),
    );
  for (const h of heads) {
    const node = inference.nodes[h.id];
    const activation = node?.params?.activation as string | undefined;
    const units = node?.params?.units as number | undefined;
    if (activation && !(info.head.activations as string[]).includes(activation)) {
      out.push(
        diag(
          'error',
          'head-task-mismatch',
          `${info.title} needs a ${info.head.activations.join(' or ')} head, but "${h.id}" is ` +
            `${activation}. Change its activation.`,
          { node: h.id, field: 'activation' },
        ),
      );
    }
    const shape = node?.status === 'ok' ? node.outputs.out : undefined;
    if (shape && shape.kind !== info.head.output) {
      const fix =
        info.head.output === 'vector'
          ? 'Add a Pooling block before the head, or turn off returnSequences on the last recurrent block.'
          : 'Keep one output per step: turn on returnSequences and remove pooling before the head.';
      out.push(
        diag(
          'error',
          'head-task-mismatch',
          `${info.title} predicts ` +
            `${info.head.output === 'vector' ? 'once per sequence' : 'once per time step'}, but ` +
            `"${h.id}" outputs a ${shape.kind}. ${fix}`,
          { node: h.id, port: 'in' },
        ),
      );
    }
    const binarySigmoid =
      task === 'classification' && activation === 'sigmoid' && units === 1 && data.headUnits === 2;
    if (units !== undefined && data.headUnits !== undefined && units !== data.headUnits && !binarySigmoid) {
      const what = {
        classes: 'classes',
        tags: 'tags',
        vocabulary: 'tokens in the vocabulary',
        targets: 'target values',
      }[info.head.units];
      out.push(
        diag(
          'error',
          'head-units-mismatch',
          `The data has ${data.headUnits} ${what} but head "${h.id}" has ${units} units. Set units to ` +
            `${data.headUnits}.`,
          { node: h.id, field: 'units' },
        ),
      );
    }
  }

  if (data.vocabularySize !== undefined) {
    for (const e of ofKind('embedding')) {
      const size = inference.nodes[e.id]?.params?.vocabularySize as number | undefined;
      if (size === undefined || size === data.vocabularySize) continue;
      const smaller = size < data.vocabularySize;
      out.push(
        diag(
          smaller ? 'error' : 'warning',
          'vocabulary-mismatch',
          smaller
            ? `The dataset has ${data.vocabularySize} tokens but embedding "${e.id}" covers only ` +
                `${size}; ids above ${size - 1} would fail. Set vocabularySize to ${data.vocabularySize}.`
            : `Embedding "${e.id}" has room for ${size} tokens; the dataset has ${data.vocabularySize}. ` +
                `The extra rows are never used: set vocabularySize to ${data.vocabularySize}.`,
          { node: e.id, field: 'vocabularySize' },
        ),
      );
    }
  }

  if (task === 'language-model') {
    for (const n of graph.nodes) {
      const p = inference.nodes[n.id]?.params;
      if (n.kind === 'bidirectional') {
        out.push(
          diag(
            'error',
            'future-leak',
            `A language model predicts the next token, so it must not read ahead; bidirectional ` +
              `"${n.id}" does. Unwrap it into a plain recurrent block.`,
            { node: n.id },
          ),
        );
      }
      if (n.kind === 'self-attention' && p && p.causal !== true) {
        out.push(
          diag(
            'error',
            'future-leak',
            `Self-attention "${n.id}" lets each step see later steps, which a language model must not. ` +
              `Turn on causal.`,
            { node: n.id, field: 'causal' },
          ),
        );
      }
    }
  }
  return out;
}
