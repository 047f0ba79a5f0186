import { deflateRawSync, deflateSync, inflateRawSync, inflateSync } from 'node:zlib';

/**
 * Long texts (summaries, feed content, article bodies) are kept deflated: news
 * text takes about 60 % of its size that way, article bodies less. A value is a
 * BLOB when packed and TEXT when not (short texts, which deflate cannot shrink,
 * and rows written before schema 6), so a reader tells them apart by type.
 */
const PACK_FROM_CHARS = 80;

export function packText(text: string): string | Buffer {
  if (text.length < PACK_FROM_CHARS) return text;
  const packed = deflateRawSync(Buffer.from(text, 'utf8'));
  return packed.length < Buffer.byteLength(text, 'utf8') * 0.9 ? packed : text;
}

export function unpackText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return inflateRawSync(value as Buffer).toString('utf8');
}

/** Signatures are JSON with long hex fingerprints: deflated, they take about half. */
export function packSignature(json: string): Buffer {
  return deflateSync(Buffer.from(json, 'utf8'));
}

/** Reads a packed signature, or one stored as JSON text before signatures were packed (schema 5). */
export function unpackSignature(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  const bytes = value as Buffer;
  // zlib streams start with 0x78; JSON with '{'.
  if (bytes[0] === 0x7b) return bytes.toString('utf8');
  try {
    return inflateSync(bytes).toString('utf8');
  } catch {
    return null;
  }
}
