// The colour range of a gate's heatmap, from what squashes it: sigmoid gates run 0..1, the tanh-squashed
// candidates (the LSTM's cell candidate, the GRU's candidate) -1..1. Anything else (an Elman cell's
// hidden state, whose activation the user picks) is drawn over its own values.
const SIGMOID = new Set(['input', 'forget', 'output', 'update', 'reset']);
const TANH = new Set(['cell', 'candidate']);

export function gateRange(gate: string): [number, number] | undefined {
  if (SIGMOID.has(gate)) return [0, 1];
  if (TANH.has(gate)) return [-1, 1];
  return undefined;
}
