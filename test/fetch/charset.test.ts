import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charsetFromContentType, charsetFromDocument, decodeBody } from '../../src/fetch/charset.js';

const FRENCH = 'Élysée : « l’œuvre » coûte 5 € — déjà';

function utf16(text: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const body = endian === 'le' ? le : Buffer.from(le).swap16();
  const mark = endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), body]) : body;
}

/** windows-1252 bytes for the characters this file uses (Buffer has no cp1252 encoder). */
function cp1252(text: string): Uint8Array {
  const extra: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, œ: 0x9c, Œ: 0x8c };
  return Uint8Array.from([...text].map((ch) => extra[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f)));
}

const xml = (decl: string, body: string) => `<?xml version="1.0"${decl}?><rss><title>${body}</title></rss>`;

describe('decodeBody', () => {
  const cases: { name: string; bytes: Uint8Array; contentType?: string | null; expected: string }[] = [
    { name: 'UTF-8 BOM is removed, text decoded', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('', FRENCH))]), expected: xml('', FRENCH) },
    { name: 'UTF-8 BOM wins over a latin1 HTTP charset', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FRENCH)]), contentType: 'text/xml; charset=iso-8859-1', expected: FRENCH },
    { name: 'UTF-16LE with BOM', bytes: utf16(xml(' encoding="utf-16"', FRENCH), 'le', true), expected: xml(' encoding="utf-16"', FRENCH) },
    { name: 'UTF-16BE with BOM', bytes: utf16(xml(' encoding="utf-16"', FRENCH), 'be', true), expected: xml(' encoding="utf-16"', FRENCH) },
    { name: 'UTF-16LE without BOM, sniffed from "<?"', bytes: utf16(xml('', 'Corée'), 'le', false), expected: xml('', 'Corée') },
    { name: 'UTF-16BE without BOM, sniffed from "<?"', bytes: utf16(xml('', 'Corée'), 'be', false), expected: xml('', 'Corée') },
    {
      name: 'HTTP charset overrides the XML declaration',
      bytes: Buffer.from(xml(' encoding="utf-8"', 'Corée du Nord'), 'latin1'),
      contentType: 'application/rss+xml; charset=ISO-8859-1',
      expected: xml(' encoding="utf-8"', 'Corée du Nord'),
    },
    {
      name: 'HTTP charset in quotes',
      bytes: Buffer.from('déjà', 'latin1'),
      contentType: 'text/xml; charset="iso-8859-1"',
      expected: 'déjà',
    },
    {
      name: 'XML declaration ISO-8859-1 (label maps to windows-1252, as WHATWG says)',
      bytes: cp1252(xml(' encoding="ISO-8859-1"', FRENCH)),
      contentType: 'application/xml',
      expected: xml(' encoding="ISO-8859-1"', FRENCH),
    },
    {
      name: 'XML declaration windows-1252: €, œ and curly quotes',
      bytes: cp1252(xml(" encoding='windows-1252'", '“Œuvre” l’été, 20 € – fin…')),
      expected: xml(" encoding='windows-1252'", '“Œuvre” l’été, 20 € – fin…'),
    },
    { name: 'undeclared latin1 bytes fall back to windows-1252', bytes: cp1252(xml('', FRENCH)), expected: xml('', FRENCH) },
    {
      name: 'declared UTF-8 but bytes are not: windows-1252 rather than U+FFFD',
      bytes: cp1252(xml(' encoding="UTF-8"', 'Pyongyang l’été')),
      expected: xml(' encoding="UTF-8"', 'Pyongyang l’été'),
    },
    { name: 'valid UTF-8 without declaration stays UTF-8', bytes: Buffer.from(xml('', FRENCH)), expected: xml('', FRENCH) },
    {
      name: 'meta charset in an HTML page',
      bytes: cp1252(`<!doctype html><html><head><meta charset="windows-1252"><title>Séoul</title></head><body>€</body></html>`),
      expected: `<!doctype html><html><head><meta charset="windows-1252"><title>Séoul</title></head><body>€</body></html>`,
    },
    {
      name: 'http-equiv meta content-type charset',
      bytes: Buffer.from(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>Moscou, été</body></html>`, 'latin1'),
      expected: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>Moscou, été</body></html>`,
    },
    { name: 'unknown charset label falls back to sniffing', bytes: Buffer.from('Corée'), contentType: 'text/xml; charset=x-no-such-thing', expected: 'Corée' },
    { name: 'empty body', bytes: new Uint8Array(), contentType: 'text/xml', expected: '' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(decodeBody(c.bytes, c.contentType), c.expected);
    });
  }

  it('maps the whole windows-1252 block 0x80..0x9F as WHATWG does', () => {
    const block = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    assert.equal(decodeBody(block, 'text/plain; charset=windows-1252'), '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ');
  });

  it('never produces U+FFFD for any single-byte input', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.ok(!decodeBody(all, null).includes('\ufffd'));
  });
});

describe('charsetFromContentType', () => {
  const cases: [string | null, string | null][] = [
    ['text/xml; charset=UTF-8', 'UTF-8'],
    ['application/rss+xml;charset="ISO-8859-1"', 'ISO-8859-1'],
    ['text/html; Charset = windows-1252 ; foo=bar', 'windows-1252'],
    ['application/atom+xml', null],
    [null, null],
  ];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => assert.equal(charsetFromContentType(input), expected));
});

describe('charsetFromDocument', () => {
  const cases: [string, string | null][] = [
    ['<?xml version="1.0" encoding="ISO-8859-1"?><rss/>', 'ISO-8859-1'],
    ["  <?xml version='1.0' encoding='windows-1252' ?><rss/>", 'windows-1252'],
    ['<html><head><meta charset=utf-8></head></html>', 'utf-8'],
    ['<?xml version="1.0"?><rss/>', null],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input.slice(0, 40))} → ${expected}`, () => assert.equal(charsetFromDocument(Buffer.from(input)), expected));
});
