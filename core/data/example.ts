// One example before tokenizing, as importers and generators produce it. Which fields are set depends on
// the task (see TASKS in tasks.ts): classification text+label, regression text|features + values,
// tagging tokens+tags, language model text, seq2seq source+target.

export interface Example {
  /** Raw text (classification, regression, language model). */
  text?: string;
  /** Numeric steps [T][F] instead of text (adding problem); fed to the `features` input. */
  features?: number[][];
  /** Class name (classification). */
  label?: string;
  /** Regression target(s). */
  values?: number[];
  /** Pre-split tokens and their aligned tags (tagging). */
  tokens?: string[];
  tags?: string[];
  /** Sequence to sequence. */
  source?: string;
  target?: string;
  /** 1-based line of the source file this came from, for error messages. */
  line?: number;
}
