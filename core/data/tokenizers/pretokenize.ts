// Splits text into chunks that BPE merges never cross (GPT-2's rule): a letter run, a digit run or a
// punctuation run, each with at most one leading space; whitespace runs on their own. The chunks always
// concatenate back to the input (any gap the pattern misses becomes its own chunk), which the round trip
// relies on.
const CHUNK = / ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export function pretokenize(text: string): string[] {
  const chunks: string[] = [];
  let at = 0;
  for (const m of text.matchAll(CHUNK)) {
    if (m.index > at) chunks.push(text.slice(at, m.index));
    if (m[0].length > 0) chunks.push(m[0]);
    at = m.index + m[0].length;
  }
  if (at < text.length) chunks.push(text.slice(at));
  return chunks;
}
