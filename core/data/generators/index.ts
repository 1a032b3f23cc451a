// Every built-in generator, in one explicit list (the template menu shows them in this order).
import type { Example } from '../example.js';
import { createRandom } from '../random.js';
import { addingProblem } from './adding-problem.js';
import { copyTask } from './copy-task.js';
import { dateFormats } from './date-formats.js';
import { digitAddition } from './digit-addition.js';
import type { DatasetGenerator } from './generator.js';
import { parity } from './parity.js';
import { sentiment } from './sentiment.js';
import { taggingGrammar } from './tagging-grammar.js';

export type { DatasetGenerator } from './generator.js';

export const GENERATORS: DatasetGenerator[] = [
  addingProblem,
  copyTask,
  parity,
  digitAddition,
  dateFormats,
  taggingGrammar,
  sentiment,
];

export function findGenerator(name: string): DatasetGenerator | undefined {
  return GENERATORS.find((g) => g.name === name);
}

/**
 * Runs a generator from a dataset source. Throws an error naming the generator and the bad param
 * (e.g. "generator 'parity': params.minLength: minLength must not exceed maxLength").
 */
export function generateExamples(source: {
  name: string;
  params?: Record<string, unknown>;
  seed?: number;
}): Example[] {
  const generator = findGenerator(source.name);
  if (!generator) {
    throw new Error(`unknown generator '${source.name}'; known: ${GENERATORS.map((g) => g.name).join(', ')}`);
  }
  const parsed = generator.params.safeParse(source.params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `params.${issue.path.join('.')}: ` : 'params: ';
    throw new Error(`generator '${source.name}': ${where}${issue?.message ?? 'invalid'}`);
  }
  return generator.generate(parsed.data, createRandom(source.seed ?? 1));
}
