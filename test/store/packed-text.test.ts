import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { packText, readsBackAsWritten, unpackText } from '../../src/store/packed-text.js';

const TEXT = 'Le gouvernement a annoncé mardi que les négociations avec les syndicats reprendraient la semaine prochaine, selon un communiqué.';

describe('packed text', () => {
  it('a text packed with the preset dictionary reads back, and takes less than without it', () => {
    const packed = packText(TEXT);
    assert.ok(Buffer.isBuffer(packed));
    assert.equal(unpackText(packed), TEXT);
    assert.ok(packed.length < deflateRawSync(Buffer.from(TEXT)).length, `${packed.length} bytes`);
  });

  it('readsBackAsWritten refuses exactly the texts UTF-8 storage changes: lone surrogates, and NUL (PostgreSQL)', () => {
    for (const text of ['', TEXT, 'Wonsan’s “beach” 🏖️', '原山']) {
      assert.equal(readsBackAsWritten(text), true, text);
      assert.equal(unpackText(packText(text.repeat(10))), text.repeat(10));
    }
    for (const text of [`${TEXT}\ud800`, `\udc00${TEXT}`, `${TEXT}\0`]) assert.equal(readsBackAsWritten(text), false, JSON.stringify(text));
    assert.notEqual(unpackText(packText(`${TEXT}\ud800`)), `${TEXT}\ud800`);
  });

  it('texts stored by earlier versions still read: plain deflate, and the dictionary as it was written', () => {
    assert.equal(unpackText(deflateRawSync(Buffer.from(TEXT))), TEXT);
    // Packed when the dictionary was made: a change to its bytes would make this (and every stored text) unreadable.
    const stored = Buffer.from(
      'fef34955480735028af220b522a80ec9cbcf4b3ebc125ab781ea3e50833deff0caf4fce4ccc412682b3035192c5c5c999792999c5852ac50945a5004aaf8206da91c50f33a17dc8b2828ca4fce00b174a0fdd55248f3a6342fb3b0f4f04a3d00',
      'hex',
    );
    assert.equal(unpackText(stored), TEXT);
  });

  it('short texts stay text', () => {
    assert.equal(packText('Brève.'), 'Brève.');
    assert.equal(unpackText('Brève.'), 'Brève.');
  });
});
