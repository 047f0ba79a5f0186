import { isUtf8 } from 'node:buffer';

/**
 * Turns response bytes into a string. Order of trust: byte-order mark, then the
 * HTTP Content-Type charset, then the document's own declaration (XML prolog or
 * HTML meta), then UTF-8. Bytes that are not valid UTF-8 when UTF-8 was only
 * assumed are read as windows-1252, the usual truth of undeclared Western feeds.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string | null): string {
  const bom = sniffBom(bytes);
  if (bom?.encoding.startsWith('utf-32')) return decodeUtf32(bytes.subarray(bom.length), bom.encoding === 'utf-32le');
  if (bom) return new TextDecoder(bom.encoding).decode(bytes.subarray(bom.length));

  const declared = charsetFromContentType(contentType) ?? charsetFromDocument(bytes);
  if (declared) {
    const decoder = makeDecoder(declared);
    if (decoder) {
      // A document that declares UTF-8 but is not: fall back rather than show U+FFFD everywhere.
      if (decoder.encoding === 'utf-8' && !isUtf8(bytes)) return decodeWindows1252(bytes);
      return decoder.encoding === 'windows-1252' ? decodeWindows1252(bytes) : decoder.decode(bytes);
    }
  }
  if (isUtf8(bytes)) return new TextDecoder('utf-8').decode(bytes);
  return decodeWindows1252(bytes);
}

// WHATWG index-windows-1252 for bytes 0x80..0x9F (five bytes map to themselves).
const WINDOWS_1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ';

/**
 * Node 20.18.3+ and 22.13+ decode windows-1252 (the target of the latin1 and
 * iso-8859-1 labels too) as ISO-8859-1, turning €, œ and curly quotes into C1
 * controls (nodejs/node#60888); the 0x80..0x9F block is mapped here instead.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (ch) => WINDOWS_1252_HIGH[ch.charCodeAt(0) - 0x80]!);
}

/** Byte-order marks, then the XML spec's autodetection of `<?` in UTF-16/32 without a mark. */
function sniffBom(b: Uint8Array): { encoding: string; length: number } | null {
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', length: 4 };
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x3c) return { encoding: 'utf-32be', length: 0 };
  if (b[0] === 0x3c && b[1] === 0 && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', length: 0 };
  if (b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] === 0x3f) return { encoding: 'utf-16be', length: 0 };
  if (b[0] === 0x3c && b[1] === 0 && b[2] === 0x3f && b[3] === 0) return { encoding: 'utf-16le', length: 0 };
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

export function charsetFromContentType(contentType?: string | null): string | null {
  if (!contentType) return null;
  const m = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType);
  return m?.[1] ?? null;
}

/** Reads `<?xml encoding="...">` or `<meta charset>` from the first bytes, which are ASCII in every encoding we accept. */
export function charsetFromDocument(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const xml = /^\s*<\?xml[^>]*\sencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml?.[1]) return xml[1];
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return meta?.[1] ?? null;
}

function makeDecoder(label: string): InstanceType<typeof TextDecoder> | null {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null; // unknown label: caller falls back to sniffing
  }
}

// TextDecoder has no UTF-32; it is rare enough that a small loop serves.
function decodeUtf32(b: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength - (b.byteLength % 4));
  const parts: string[] = [];
  for (let i = 0; i < view.byteLength; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    parts.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd');
  }
  return parts.join('');
}
