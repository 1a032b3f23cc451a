// The example reader the training workload takes (main/training/projectData.ts, `ExampleReader`):
// a saved dataset's examples from the project zip or its path. A language model on one long document is
// handed over as consecutive pieces of maxLength - 1 tokens, so a loader that treats each example as a
// sentence (start symbol, tokens, end symbol) still sees every part of the text.
import { dirname } from 'node:path';
import { isDocument } from '../../core/data/dataset.js';
import type { Example } from '../../core/data/example.js';
import type { DatasetSpec } from '../../core/data/spec.js';
import { splitWords } from '../../core/data/tokenizers/word.js';
import { loadDataset } from './load.js';

/** Cuts a document into pieces that fit maxLength once framed by start/end symbols. */
export function documentPieces(spec: DatasetSpec, text: string): Example[] {
  const size = Math.max(1, spec.maxLength - 1);
  const pieces: Example[] = [];
  if (spec.tokenizer.kind === 'word') {
    const words = splitWords(text, spec.tokenizer.lowercase);
    for (let at = 0; at < words.length; at += size) pieces.push({ text: words.slice(at, at + size).join(' ') });
  } else {
    // Characters: exact. Subword: about 3 characters per token, the encoder truncates any excess.
    const chars = Array.from(text);
    const step = spec.tokenizer.kind === 'character' ? size : size * 3;
    for (let at = 0; at < chars.length; at += step) pieces.push({ text: chars.slice(at, at + step).join('') });
  }
  return pieces;
}

export async function readProjectExamples(spec: DatasetSpec, files: Record<string, Uint8Array>, projectPath: string | null): Promise<Example[]> {
  const loaded = await loadDataset(spec, (name) => files[name], projectPath ? { projectDir: dirname(projectPath) } : {});
  if (isDocument(spec)) return documentPieces(spec, loaded.examples[0]?.text ?? '');
  return loaded.examples;
}
