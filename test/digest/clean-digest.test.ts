import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanDigest } from '../../src/digest/clean-digest.js';
import { sampleDigest } from './sample-digest.js';

describe('cleanDigest', () => {
  it('removes escape sequences before, inside and after highlights, which still cover the same words', () => {
    const digest = sampleDigest();
    const snippet = '\u001b]52;c;ZXZpbA==\u0007Avant \u001b[31maccord\u001b[0m de défense, puis \u202eaccord de défense\u0007 fin';
    const spans: [number, number][] = [
      [snippet.indexOf('\u001b[31maccord'), snippet.indexOf(' de défense,') + ' de défense'.length],
      [snippet.indexOf('\u202eaccord'), snippet.indexOf('\u0007 fin')],
    ];
    const story = { ...digest.stories[0]!, title: 'T\u001b[2Jitre\u0008', snippet, highlights: spans };
    const clean = cleanDigest({ ...digest, stories: [story] }).stories[0]!;
    assert.equal(clean.title, 'Titre');
    assert.equal(clean.snippet, 'Avant accord de défense, puis accord de défense fin');
    assert.deepEqual(
      clean.highlights.map(([a, b]) => clean.snippet.slice(a, b)),
      ['accord de défense', 'accord de défense'],
    );
    assert.deepEqual(cleanDigest(digest).stories[0], digest.stories[0], 'clean text is left as it is');
  });
});
