// One pass over a dataset's examples (or a long document in chunks) that keeps only what the import
// needs: token and label counts for the vocabulary, a seeded reservoir sample for statistics and BPE
// training, and the first rows for the preview. Memory is bounded by the sample and the vocabulary, not
// by the file, so a 200 MB file scans in flat memory. `finish` builds the spec, stats and preview.
import { createEncoder, languageModelWindows, sortLabels, type EncodedExample } from './encode.js';
import type { Example } from './example.js';
import { createRandom, type Random } from './random.js';
import type { DatasetSpec } from './spec.js';
import { balanceFromCounts, datasetStats, type DatasetStats } from './stats.js';
import { CHARACTER_FIXED, countCharacters } from './tokenizers/character.js';
import { trainSubword } from './tokenizers/subword.js';
import { buildVocabulary, countTokens, detach } from './tokenizers/vocabulary.js';
import { splitWords } from './tokenizers/word.js';

export type PreviewRow = Record<string, string | number | string[]>;

export interface ScanResult {
  spec: DatasetSpec;
  stats: DatasetStats;
  preview: PreviewRow[];
}

const SAMPLE_EXAMPLES = 20_000;
const SAMPLE_CHARS = 1_000_000;
const PREVIEW_ROWS = 20;
const PREVIEW_TOKENS = 60;

/** An example safe to keep while the file streams on (its strings no longer pin the file's chunks). */
function kept(e: Example): Example {
  const out: Example = { ...e };
  if (e.text !== undefined) out.text = detach(e.text);
  if (e.label !== undefined) out.label = detach(e.label);
  if (e.source !== undefined) out.source = detach(e.source);
  if (e.target !== undefined) out.target = detach(e.target);
  if (e.tokens) out.tokens = e.tokens.map(detach);
  if (e.tags) out.tags = e.tags.map(detach);
  return out;
}

export class DatasetScan {
  private readonly tokenCounts = new Map<string, number>();
  private readonly labelCounts = new Map<string, number>();
  private readonly sample: Example[] = [];
  private readonly first: Example[] = [];
  private readonly random: Random;
  private seen = 0;
  private docText = '';
  private docTail = '';
  private docTokens = 0;
  private readonly learnVocabulary: boolean;

  constructor(private readonly spec: DatasetSpec) {
    this.random = createRandom(spec.split.seed);
    this.learnVocabulary = !spec.vocabulary;
  }

  get examples(): number {
    return this.seen;
  }

  private count(text: string) {
    if (!this.learnVocabulary) return;
    const { kind, lowercase } = this.spec.tokenizer;
    if (kind === 'character') countCharacters(this.tokenCounts, text, lowercase);
    else if (kind === 'word') countTokens(this.tokenCounts, splitWords(text, lowercase));
  }

  addExample(e: Example): void {
    this.seen++;
    if (this.first.length < PREVIEW_ROWS) this.first.push(kept(e));
    // Reservoir sampling (Algorithm R): every example is equally likely to be in the sample.
    if (this.sample.length < SAMPLE_EXAMPLES) this.sample.push(kept(e));
    else {
      const j = this.random.int(this.seen);
      if (j < SAMPLE_EXAMPLES) this.sample[j] = kept(e);
    }
    if (e.label !== undefined) countTokens(this.labelCounts, [e.label]);
    if (e.tags) countTokens(this.labelCounts, e.tags);
    if (e.tokens && this.learnVocabulary) {
      countTokens(
        this.tokenCounts,
        this.spec.tokenizer.lowercase ? e.tokens.map((t) => t.toLowerCase()) : e.tokens,
      );
    }
    for (const t of [e.text, e.source, e.target]) if (t !== undefined) this.count(t);
  }

  /** A chunk of one long document (language model on a whole text file). */
  addText(chunk: string): void {
    if (this.docText.length < SAMPLE_CHARS)
      this.docText = detach(this.docText + chunk.slice(0, SAMPLE_CHARS - this.docText.length));
    // Words may straddle chunks: count up to the last whitespace, carry the rest.
    const text = this.docTail + chunk;
    const cut = this.spec.tokenizer.kind === 'word' ? Math.max(text.search(/\s\S*$/), 0) : text.length;
    this.docTail = text.slice(cut);
    this.countDoc(text.slice(0, cut));
  }

  private countDoc(text: string) {
    const { kind, lowercase } = this.spec.tokenizer;
    if (kind === 'word') this.docTokens += splitWords(text, lowercase).length;
    else this.docTokens += kind === 'character' ? [...text].length : 0;
    if (kind === 'subword') this.docChars += text.length;
    this.count(text);
  }
  private docChars = 0;

  finish(): ScanResult {
    if (this.docTail) this.countDoc(this.docTail);
    this.docTail = '';
    const isDocument = this.seen === 0 && this.docText.length > 0;
    let spec: DatasetSpec = this.spec;
    const tok = spec.tokenizer;
    if (this.learnVocabulary) {
      if (spec.task === 'tagging') {
        spec = {
          ...spec,
          tokenizer: { ...tok, kind: 'word', merges: undefined },
          vocabulary: [...buildVocabulary(this.tokenCounts, tok).tokens],
        };
      } else if (tok.kind === 'subword') {
        const texts = isDocument
          ? [this.docText]
          : this.sample.flatMap((e) =>
              [e.text, e.source, e.target].filter((t): t is string => t !== undefined),
            );
        const { merges, vocabulary } = trainSubword(texts, tok);
        spec = { ...spec, tokenizer: { ...tok, merges }, vocabulary: [...vocabulary.tokens] };
      } else {
        const fixed = tok.kind === 'character' ? CHARACTER_FIXED : [];
        spec = {
          ...spec,
          vocabulary: [
            ...buildVocabulary(this.tokenCounts, {
              minFrequency: tok.minFrequency,
              maxSize: tok.maxSize,
              fixed,
            }).tokens,
          ],
        };
      }
    }
    if (!spec.labels && (spec.task === 'classification' || spec.task === 'tagging'))
      spec = { ...spec, labels: sortLabels(this.labelCounts.keys()) };

    const encoder = createEncoder(spec);
    const encodeAll = (examples: Example[]) =>
      examples.flatMap((e) => {
        try {
          return [encoder.encode(e)];
        } catch {
          return []; // unknown label or tag against a saved spec: counted as an error by the importer
        }
      });
    let encoded: EncodedExample[];
    let total = this.seen;
    if (isDocument) {
      const ids = encoder.tokenizer.encode(this.docText);
      encoded = languageModelWindows(ids, spec.maxLength);
      const tokens =
        tok.kind === 'subword'
          ? Math.round((ids.length * this.docChars) / Math.max(1, this.docText.length))
          : this.docTokens;
      total = Math.ceil(Math.max(0, tokens - 1) / spec.maxLength);
    } else encoded = encodeAll(this.sample);

    const stats = datasetStats(spec, encoded);
    stats.examples = total;
    if (encoded.length < total) {
      stats.sampled = encoded.length;
      stats.truncated = Math.round((stats.truncated * total) / Math.max(1, encoded.length));
    }
    if (spec.labels && (spec.task === 'classification' || spec.task === 'tagging')) {
      const counts = spec.labels.map((l) => this.labelCounts.get(l) ?? 0);
      const exact = balanceFromCounts(counts, spec.labels);
      stats.labels = exact.labels;
      if (spec.task === 'classification') stats.balance = exact.balance;
    }
    return { spec, stats, preview: this.preview(spec, encoder.tokenizer, isDocument) };
  }

  private preview(
    spec: DatasetSpec,
    tokenizer: ReturnType<typeof createEncoder>['tokenizer'],
    isDocument: boolean,
  ): PreviewRow[] {
    const show = (text: string) =>
      tokenizer
        .tokenize(text)
        .slice(0, PREVIEW_TOKENS)
        .map((t) => tokenizer.display(t));
    if (isDocument) {
      const ids = tokenizer.encode(this.docText.slice(0, 20 * spec.maxLength * 8));
      return languageModelWindows(ids, spec.maxLength)
        .slice(0, PREVIEW_ROWS)
        .map((w) => ({
          text: [...(w.tokens ?? [])]
            .slice(0, PREVIEW_TOKENS)
            .map((id) => tokenizer.display(tokenizer.vocabulary.token(id))),
        }));
    }
    return this.first.map((e) => {
      const row: PreviewRow = {};
      if (e.line !== undefined) row.line = e.line;
      if (e.text !== undefined) row.text = show(e.text);
      if (e.features) row.steps = e.features.length;
      if (e.label !== undefined) row.label = e.label;
      if (e.values) row.target = e.values.join(', ');
      if (e.tokens)
        row.tokens = e.tokens
          .slice(0, PREVIEW_TOKENS)
          .map((t) =>
            tokenizer.display(
              tokenizer.vocabulary.token(
                tokenizer.vocabulary.id(spec.tokenizer.lowercase ? t.toLowerCase() : t),
              ),
            ),
          );
      if (e.tags) row.tags = e.tags.slice(0, PREVIEW_TOKENS);
      if (e.source !== undefined) row.source = show(e.source);
      if (e.target !== undefined) row.target = show(e.target);
      return row;
    });
  }
}
