// What decoding needs from a model: one step of the decoder, over a batch of rows (source sentences for
// greedy decoding, hypotheses for beam search). Plain arrays in and out, so the search code knows nothing
// of tfjs and is tested with hand-made models; main/inference/predictor.ts adapts a trained project's graph.
// A step may answer later (a Promise): a model on a GPU reads its output back without blocking.

export interface StepResult<S> {
  /** [rows * vocabularySize] log-probabilities of the next token, row-major. */
  logProbs: Float32Array;
  state: S;
}

export interface DecoderSteps<S> {
  vocabularySize: number;
  /** Next-token log-probabilities for each row given its previous token and the state. */
  step(prevTokens: Int32Array, state: S): StepResult<S> | Promise<StepResult<S>>;
  /** The state of the given rows, in that order (rows may repeat): how beams follow their parents. */
  select(state: S, rows: Int32Array): S;
  /** Free a state that will not be used again (tfjs tensors); optional. */
  release?(state: S): void;
}

export interface DecodeOptions {
  /** Token fed at the first step. */
  start: number;
  /** Token that ends a sequence (kept in the output), or null to always run maxLength steps. */
  end: number | null;
  maxLength: number;
}

export interface Hypothesis {
  /** Generated tokens, without the start token, ending with the end token when one was produced. */
  tokens: number[];
  /** Sum of the tokens' log-probabilities. */
  logProb: number;
  /** What the search ranked by: logProb / length^lengthPenalty. */
  score: number;
}
