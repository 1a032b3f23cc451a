// Run in a fresh process by zip-limits.test.ts: builds a zip bomb (deflated zeros, streamed so building
// it costs little memory), tries to read it with an honest and a lying header, and prints each refusal and
// how much the read grew the process's peak memory above what it used just before.
import { Deflate, unzipSync } from 'fflate';
import { readProjectZip } from '../../../../main/project/zip-read.js';
import { DEFAULT_LIMITS } from '../../../../main/project/limits.js';
import { craftZip } from './craft-zip.js';

const inflatedBytes = Number(process.argv[2] ?? 256 * 1024 * 1024);
const chunks: Uint8Array[] = [];
const deflate = new Deflate({ level: 9 }, (chunk) => chunks.push(chunk));
const zeros = new Uint8Array(1024 * 1024);
for (let i = 0; i < inflatedBytes / zeros.length; i++)
  deflate.push(zeros, i === inflatedBytes / zeros.length - 1);
const data = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
let at = 0;
for (const c of chunks) {
  data.set(c, at);
  at += c.length;
}
// honest: the header declares the real size; lying: it claims 1000 bytes.
// control: the same honest bomb through a naive full extraction, to show the measurement sees growth.
for (const mode of ['honest', 'lying', 'control']) {
  const declared = mode === 'lying' ? 1000 : inflatedBytes;
  const crc = 0; // never checked: both refusals come before the checksum
  const zip = craftZip([{ name: 'weights/bomb.bin', data, method: 8, declaredSize: declared, crc }]);
  const before = process.memoryUsage().rss;
  let message = 'accepted';
  try {
    if (mode === 'control') message = `extracted ${unzipSync(zip)['weights/bomb.bin']?.length ?? 0} bytes`;
    else readProjectZip(zip, DEFAULT_LIMITS);
  } catch (error) {
    message = (error as Error).message;
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      mode,
      zipBytes: zip.length,
      inflatedBytes,
      declared,
      message,
      growthBytes: Math.max(0, peak - before),
    }),
  );
}
