// What the bench's figures were taken on: the processor's name and the logical cores this process may
// use. Figures from two machines differ by more than most changes to the engine (the same code's
// tag-bilstm step took 84–92 ms on one 2-core kind's machine and 62–75 ms on another's), so each result
// says which machine gave it.
import { availableParallelism, cpus } from 'node:os';

/** For example `AMD EPYC, 2 cores`; `unknown processor` where the system names none. */
export function benchMachine(): string {
  const model = cpus()[0]?.model.replace(/\s+/g, ' ').trim();
  const cores = availableParallelism();
  return `${model || 'unknown processor'}, ${cores} core${cores === 1 ? '' : 's'}`;
}
