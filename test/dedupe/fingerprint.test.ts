import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { EVENT_SIGNATURE_VERSION, eventSignature } from '../../src/dedupe/event-signature.js';
import { tokenizeText } from '../../src/dedupe/fingerprint.js';
import { SIGNATURE_VERSION, storySignature } from '../../src/dedupe/story-signature.js';
import { loadStories } from './labelled-pairs.js';

/** The fold as its definition says it: the whole string folded (NFKD, lower case, no marks, ß/œ/æ), then split on what is not a letter or digit. */
function foldThenSplit(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** Characters whose fold is not themselves: accents, marks alone, ligatures, compatibility forms, separators inside a fold, both sigmas, astral letters. */
const TRICKY = [
  'é',
  'É',
  'e\u0301',
  '\u0301',
  '\u0323\u0301',
  'ß',
  'ẞ',
  'Œ',
  'œ',
  'Æ',
  'ﬁ',
  '½',
  '㎏',
  '℅',
  'Ｋ',
  'İ',
  'ı',
  'K',
  'Å',
  'ǅ',
  'Σ',
  'σ',
  'ς',
  'Α',
  '\u00a0',
  '’',
  '«',
  '²',
  '\u200b',
  '\u0663',
  '𝐀',
  '😀',
  '\ud800',
];
const PLAIN = ['a', 'Z', 'q', '0', '9', ' ', '.', "'", '-', ':', '\n', 'Le', 'the', 'ONU'];

test('tokenizeText gives the words of folding the whole text, then splitting it', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...PLAIN, ...TRICKY), { maxLength: 40 }), (parts) => {
      const text = parts.join('');
      assert.deepEqual(tokenizeText(text), foldThenSplit(text));
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
      assert.deepEqual(tokenizeText(text), foldThenSplit(text));
    }),
    { numRuns: 2000 },
  );
  for (const text of ['Café crème à l’Élysée, ½ Œuvre.', 'ΟΔΟΣ.Α ΣΑΣ', 'Straße 250㎏ ﬁnance', 'e\u0301s', 'x\u0301 \u0301y']) assert.deepEqual(tokenizeText(text), foldThenSplit(text), text);
});

test('stored signatures keep their bytes: the labelled set signs as SIGNATURE_VERSION 1 and EVENT_SIGNATURE_VERSION 4 did (bump them with this digest)', () => {
  const versions = loadStories().flatMap((s) => s.versions);
  const signed = versions.map((v) => [storySignature({ title: v.title, text: v.text, url: v.url, source: v.source }), eventSignature({ title: v.title, text: v.text })]);
  assert.equal(SIGNATURE_VERSION, 1);
  assert.equal(EVENT_SIGNATURE_VERSION, 4);
  assert.equal(versions.length, 96);
  assert.equal(createHash('sha256').update(JSON.stringify(signed)).digest('hex'), '5ae3a5ab942f642faca87bb4097ba3dcd8e034498978197c56139fb14b4ac453');
});
