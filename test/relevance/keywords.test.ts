import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { extractKeywords } from '../../src/relevance/keywords.js';
import { isStopWord } from '../../src/text/stop-words.js';
import { stemTerm } from '../../src/relevance/stem.js';
import { normalizeTerm } from '../../src/match/normalize.js';

const SEED = fileURLToPath(new URL('../../../shared/seeds/000_8fc84a7b7fabce73.txt', import.meta.url));

// Our own sentences, in English, to check the method is not tuned to one French article.
const ENGLISH = `North Korea and Russia reopened a direct air route between Pyongyang and Vladivostok this week.
The state airline Air Koryo will run two flights a week, officials in Pyongyang said on Monday.
Foreign Minister Sergei Lavrov called the air route a sign of the mutual defence treaty signed last year.
Analysts in Seoul said the mutual defence treaty also covers military supplies, and that the air route matters less than the treaty.
The Korean Central News Agency said more flights to Vladivostok could follow in the spring, with a sea route to Rajin.
Officials in Seoul and Tokyo are watching the mutual defence treaty closely.`;

function foldedWords(phrase: string): string[] {
  return normalizeTerm(phrase)
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
}

describe('extractKeywords on the reference seed article', () => {
  it('ranks Pyongyang, Wonsan, "accord de défense" and "liaisons aériennes" in the top 15, with no stop word or fragment', (t) => {
    if (!existsSync(SEED)) return t.skip('../shared/seeds absent');
    const top = extractKeywords(readFileSync(SEED, 'utf8'), { max: 15 });
    assert.equal(top.length, 15);
    const phrases = top.map((k) => normalizeTerm(k.phrase));
    for (const expected of ['Pyongyang', 'Wonsan', 'accord de défense', 'liaisons aériennes']) {
      assert.ok(phrases.includes(normalizeTerm(expected)), `${expected} missing from ${JSON.stringify(top.map((k) => k.phrase))}`);
    }
    for (const k of top) {
      const words = foldedWords(k.phrase);
      assert.ok(!isStopWord(words[0]!) && !isStopWord(words[words.length - 1]!), `"${k.phrase}" starts or ends with a stop word`);
      assert.ok(!words.every(isStopWord), `"${k.phrase}" is made of stop words`);
    }
    assert.ok(!phrases.includes('de la'));
  });

  it('writes phrases as the article does and guesses kinds', (t) => {
    if (!existsSync(SEED)) return t.skip('../shared/seeds absent');
    const top = extractKeywords(readFileSync(SEED, 'utf8'), { max: 15 });
    const byPhrase = new Map(top.map((k) => [k.phrase, k]));
    assert.equal(byPhrase.get('accord de défense')?.kind, 'phrase', 'running-text form, not the title-case heading');
    assert.equal(byPhrase.get('Pyongyang')?.kind, 'place');
    assert.equal(byPhrase.get('Wonsan')?.kind, 'place');
  });
});

describe('extractKeywords in general', () => {
  const keywords = extractKeywords(ENGLISH, { max: 20 });

  it('returns scores in (0, 1], best first and never increasing', () => {
    assert.ok(keywords.length > 5);
    assert.equal(keywords[0]!.score, 1);
    for (let i = 1; i < keywords.length; i++) {
      assert.ok(keywords[i]!.score <= keywords[i - 1]!.score, `${keywords[i]!.phrase} out of order`);
      assert.ok(keywords[i]!.score > 0);
    }
  });

  it('never returns a stop word alone or at either end of a phrase', () => {
    for (const k of keywords) {
      const words = foldedWords(k.phrase);
      assert.ok(!isStopWord(words[0]!), k.phrase);
      assert.ok(!isStopWord(words[words.length - 1]!), k.phrase);
    }
  });

  it('finds the English names and phrases, each once', () => {
    const phrases = keywords.map((k) => k.phrase);
    for (const expected of ['Pyongyang', 'Vladivostok', 'mutual defence treaty']) assert.ok(phrases.includes(expected), `${expected} missing from ${JSON.stringify(phrases)}`);
    const keys = phrases.map((p) => foldedWords(p).map(stemTerm).join(' '));
    assert.equal(new Set(keys).size, keys.length, `near-duplicates in ${JSON.stringify(phrases)}`);
    assert.equal(keywords.find((k) => k.phrase === 'Seoul')?.kind ?? 'place', 'place');
    const agency = keywords.find((k) => /News Agency/.test(k.phrase));
    if (agency) assert.equal(agency.kind, 'organisation');
  });

  it('merges plural and singular, upper and lower case', () => {
    const text = `Les liaisons aériennes reprennent. La liaison aérienne vers Moscou est rouverte.
Une LIAISON AÉRIENNE supplémentaire est prévue. Les liaisons aériennes sont pleines. Les autorités de Moscou confirment.`;
    const phrases = extractKeywords(text).map((k) => normalizeTerm(k.phrase));
    assert.equal(phrases.filter((p) => p.startsWith('liaison')).length, 1, JSON.stringify(phrases));
  });

  it('honours max and copes with nothing to extract', () => {
    assert.equal(extractKeywords(ENGLISH, { max: 3 }).length, 3);
    assert.deepEqual(extractKeywords(''), []);
    assert.deepEqual(extractKeywords('de la et le les the of and 12 34'), []);
    assert.deepEqual(extractKeywords(ENGLISH, { max: 0 }), []);
  });
});
