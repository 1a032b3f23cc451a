// Reads a .rnnproj zip from untrusted bytes. We walk the central directory ourselves (rather than let a
// library extract everything) so every entry is judged before a byte of it is inflated: its name
// (zip-slip, absolute paths), type (symlinks, encryption), declared size and ratio. Inflating then
// writes into a buffer of the declared size and stops the moment an entry produces more than it
// declared, so a zip bomb costs at most its declared size in memory — and declared sizes are limited.
import { Inflate } from 'fflate';
import { entryNameProblem, formatMegabytes as mb, ProjectError, type ImportLimits } from './limits.js';
import { crc32 } from './crc32.js';

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  localOffset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function refuse(message: string, where?: string): never {
  throw new ProjectError(where ? `${message} (entry "${where}")` : message, 'invalid-input', where);
}

function findEndOfCentralDirectory(view: DataView): number {
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= min; i--) if (view.getUint32(i, true) === 0x06054b50) return i;
  return refuse('This is not a project file: no zip directory was found (is it a .rnnproj?).');
}

function readCentralDirectory(bytes: Uint8Array, limits: ImportLimits): CentralEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfCentralDirectory(view);
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  let at = view.getUint32(end + 16, true);
  if (count === 0xffff || size === 0xffffffff || at === 0xffffffff)
    refuse('The zip uses the zip64 format, which project files never need.');
  if (count > limits.maxEntries)
    refuse(`The project has ${count} entries; at most ${limits.maxEntries} are allowed.`);
  if (at + size > end) refuse('The zip directory points outside the file: the file is damaged.');
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50)
      refuse(`Zip directory record ${i + 1} is damaged.`);
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const rawName = bytes.subarray(at + 46, at + 46 + nameLength);
    let name: string;
    try {
      name = flags & 0x800 ? utf8.decode(rawName) : latin1.decode(rawName);
    } catch {
      refuse(`Zip directory record ${i + 1} has a name that is not valid UTF-8.`);
    }
    entries.push({
      name,
      flags,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      externalAttributes: view.getUint32(at + 38, true),
      localOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Checks everything knowable before inflating: name, type, duplicates, sizes, ratio, totals. */
function judge(entries: CentralEntry[], limits: ImportLimits): CentralEntry[] {
  const seen = new Set<string>();
  let total = 0;
  let packed = 0;
  const files: CentralEntry[] = [];
  for (const e of entries) {
    const nameProblem = entryNameProblem(e.name, limits);
    if (nameProblem) refuse(`Refused: ${nameProblem}`, e.name);
    const unixType = (e.externalAttributes >>> 16) & 0xf000;
    if (unixType === 0xa000) refuse('Refused: the entry is a symbolic link', e.name);
    if (e.flags & 0x1) refuse('Refused: the entry is encrypted', e.name);
    if (e.name.endsWith('/')) continue; // a folder record: nothing to extract
    if (unixType !== 0 && unixType !== 0x8000) refuse('Refused: the entry is not a regular file', e.name);
    if (seen.has(e.name)) refuse('Refused: the name appears twice in the zip', e.name);
    seen.add(e.name);
    if (e.method !== 0 && e.method !== 8) refuse(`Refused: unknown compression method ${e.method}`, e.name);
    if (e.method === 0 && e.size !== e.compressedSize)
      refuse('Refused: a stored entry whose sizes disagree', e.name);
    if (e.size > limits.maxEntryBytes)
      refuse(
        `Refused: the entry is ${mb(e.size)} uncompressed; at most ${mb(limits.maxEntryBytes)} per entry`,
        e.name,
      );
    if (e.size > limits.ratioFloorBytes && e.size > limits.maxRatio * Math.max(1, e.compressedSize)) {
      refuse(
        `Refused: the entry expands ${Math.round(e.size / Math.max(1, e.compressedSize))} times (more ` +
          `than ${limits.maxRatio}); this looks like a zip bomb`,
        e.name,
      );
    }
    total += e.size;
    packed += e.compressedSize;
    if (total > limits.maxTotalBytes) {
      refuse(
        `Refused: the entries expand to more than ${mb(limits.maxTotalBytes)} together, the limit for a ` +
          `whole project`,
        e.name,
      );
    }
    files.push(e);
  }
  if (total > limits.ratioFloorBytes && total > limits.maxRatio * Math.max(1, packed)) {
    const ratio = Math.round(total / Math.max(1, packed));
    refuse(
      `Refused: the ${files.length} entries expand ${ratio} times together (more than ` +
        `${limits.maxRatio}, to ${mb(total)}); this looks like a zip bomb`,
    );
  }
  return files;
}

const CHUNK = 4096;

/** What all entries together may still inflate to: the directory's sizes could lie, the inflater cannot. */
interface Budget {
  remaining: number;
  limit: number;
}

function extract(bytes: Uint8Array, e: CentralEntry, budget: Budget): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = e.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50)
    refuse("The entry's local header is missing: the file is damaged", e.name);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + e.compressedSize > bytes.length)
    refuse('The entry runs past the end of the file: the file is damaged', e.name);
  const data = bytes.subarray(start, start + e.compressedSize);
  let out: Uint8Array;
  if (e.method === 0) {
    if (data.length > budget.remaining)
      refuse(
        `Refused: the entries hold more than ${mb(budget.limit)} together, the limit for a whole project`,
        e.name,
      );
    out = data.slice();
  } else {
    out = new Uint8Array(e.size);
    let written = 0;
    let over = false;
    let overBudget = false;
    const inflate = new Inflate((chunk) => {
      if (over) return;
      overBudget = written + chunk.length > budget.remaining;
      if (overBudget || written + chunk.length > e.size) {
        over = true;
        return;
      }
      out.set(chunk, written);
      written += chunk.length;
    });
    try {
      for (let i = 0; i < data.length && !over; i += CHUNK)
        inflate.push(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
    } catch (error) {
      refuse(`The entry cannot be decompressed (${(error as Error).message}): the file is damaged`, e.name);
    }
    if (overBudget) {
      refuse(
        `Refused: the entries inflate to more than ${mb(budget.limit)} together, the limit for a whole ` +
          `project`,
        e.name,
      );
    }
    if (over)
      refuse(
        `Refused: the entry inflates to more than the ${mb(e.size)} its header declares (a zip bomb or a ` +
          `damaged file)`,
        e.name,
      );
    if (written !== e.size)
      refuse('The entry is shorter than its header declares: the file is damaged', e.name);
  }
  if (crc32(out) !== e.crc) refuse("The entry's checksum does not match: the file is damaged", e.name);
  budget.remaining -= out.length;
  return out;
}

/** Every file entry of an untrusted project zip, by name; throws ProjectError naming the entry at fault. */
export function readProjectZip(bytes: Uint8Array, limits: ImportLimits): Map<string, Uint8Array> {
  if (bytes.length > limits.maxFileBytes)
    refuse(`The file is ${mb(bytes.length)}; project files may be at most ${mb(limits.maxFileBytes)}.`);
  const files = judge(readCentralDirectory(bytes, limits), limits);
  const out = new Map<string, Uint8Array>();
  const budget = { remaining: limits.maxTotalBytes, limit: limits.maxTotalBytes };
  for (const e of files) out.set(e.name, extract(bytes, e, budget));
  return out;
}
