// What one built-in dataset generator provides. Generators are pure and deterministic: the same params
// and seed give the same examples on every machine, so templates train reproducibly with no files.
import type { z } from 'zod';
import type { Example } from '../example.js';
import type { Random } from '../random.js';
import type { TaskId, TokenizerKind } from '../spec.js';

export interface DatasetGenerator<P extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** What the data is and what a model must learn from it (shown in the UI). */
  description: string;
  task: TaskId;
  /** Tokenizer the template should use (numeric generators feed `features` and need none). */
  tokenizer: TokenizerKind;
  /** Params with defaults; `count` is the number of examples in every generator. */
  params: P;
  generate(params: z.output<P>, random: Random): Example[];
}
