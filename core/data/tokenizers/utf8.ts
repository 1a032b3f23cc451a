// UTF-8 by hand (core/ has no TextEncoder in its type environment), in its WTF-8 variant: a lone surrogate
// (legal in a JS string, not in Unicode) encodes as its 3-byte form, so every JS string survives
// encode → decode. The byte-level tokenizer needs exactly that round trip.

export function encodeUtf8(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** Decodes (WTF-)8 bytes; a malformed sequence (e.g. a model sampled half a character) becomes U+FFFD. */
export function decodeUtf8(bytes: ArrayLike<number>): string {
  let out = '';
  let i = 0;
  const cont = (k: number) => {
    const b = bytes[k];
    return b !== undefined && (b & 0xc0) === 0x80 ? b & 63 : -1;
  };
  while (i < bytes.length) {
    const b = bytes[i]!;
    let cp = -1;
    let n = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b < 0xe0) {
      const c1 = cont(i + 1);
      if (c1 >= 0) [cp, n] = [((b & 31) << 6) | c1, 2];
    } else if (b >= 0xe0 && b < 0xf0) {
      const [c1, c2] = [cont(i + 1), cont(i + 2)];
      const v = ((b & 15) << 12) | (c1 << 6) | c2;
      if (c1 >= 0 && c2 >= 0 && v >= 0x800) [cp, n] = [v, 3];
    } else if (b >= 0xf0 && b < 0xf5) {
      const [c1, c2, c3] = [cont(i + 1), cont(i + 2), cont(i + 3)];
      const v = ((b & 7) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (c1 >= 0 && c2 >= 0 && c3 >= 0 && v >= 0x10000 && v <= 0x10ffff) [cp, n] = [v, 4];
    }
    out +=
      cp < 0
        ? '\ufffd'
        : String.fromCharCode(
            ...(cp < 0x10000 ? [cp] : [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 1023)]),
          );
    i += n;
  }
  return out;
}

/** True when the bytes are complete, well-formed UTF-8 (used to show byte tokens readably). */
export function isWellFormedUtf8(bytes: ArrayLike<number>): boolean {
  const s = decodeUtf8(bytes);
  const back = encodeUtf8(s);
  if (back.length !== bytes.length) return false;
  for (let i = 0; i < back.length; i++) if (back[i] !== bytes[i]) return false;
  return true;
}
