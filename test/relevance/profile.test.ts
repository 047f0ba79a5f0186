import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { buildCorpusStats, buildReferenceProfile, PROFILE_SIZE, profileTerms, scoreDocument } from '../../src/relevance/profile.js';
import { isStopWord } from '../../src/text/stop-words.js';

const SEED = fileURLToPath(new URL('../../../shared/seeds/000_8fc84a7b7fabce73.txt', import.meta.url));
const NOW = new Date('2025-07-14T08:00:00Z');

// Our own reference text and stories (none of them from the seed article).
const REFERENCE = `Le ministre russe de la Défense est arrivé à Pyongyang pour discuter de l’accord de défense mutuelle.
Pyongyang et Moscou veulent étendre leur coopération militaire et rouvrir les liaisons aériennes entre les deux capitales.
Les vols réguliers entre Moscou et Pyongyang reprendront, selon l’agence officielle nord-coréenne.
L’accord de défense prévoit une assistance militaire en cas d’agression contre l’un des deux pays.`;
const RELEVANT = `Une compagnie russe annonce des vols hebdomadaires vers Pyongyang : les liaisons aériennes avec Moscou
reprennent, un an après l’accord de défense conclu entre les deux pays.`;
const UNRELATED = `Le championnat de France de rugby reprend ce week-end avec un match très attendu à Toulouse,
où les supporters espèrent une victoire face à l’équipe de Clermont.`;
const OTHERS = [
  'La Banque centrale européenne laisse ses taux inchangés et surveille l’inflation dans la zone euro.',
  'Les vendanges commencent en Bourgogne sous un soleil éclatant, les viticulteurs attendent un bon millésime.',
  'Le gouvernement présente un projet de loi sur le logement et la rénovation énergétique des bâtiments.',
];

describe('profileTerms', () => {
  it('folds case and accents, drops stop words, stems lightly and adds word pairs', () => {
    const terms = profileTerms('Les Liaisons aériennes de l’accord de Défense.');
    assert.deepEqual(terms, ['liaison', 'aerien', 'accord', 'defens', 'liaison aerien', 'aerien accord', 'accord defens']);
  });

  it('never yields a stop word, a one-letter word or a bare number', () => {
    for (const term of profileTerms(`${REFERENCE} The 2024 talks of the two leaders in 12 rounds, l’a dit.`)) {
      for (const word of term.split(' ')) {
        assert.ok(!isStopWord(word), term);
        assert.ok(word.length > 1 && !/^\d+$/.test(word), term);
      }
    }
  });

  it('does not pair words across punctuation', () => {
    assert.ok(!profileTerms('Pyongyang, Moscou.').includes('pyongyang moscou'));
  });
});

describe('buildReferenceProfile', () => {
  it('holds weighted terms, no sentences, heaviest first at 1', () => {
    const profile = buildReferenceProfile(REFERENCE, '/tmp/ref.txt', NOW);
    assert.equal(profile.seed, '/tmp/ref.txt');
    assert.equal(profile.createdAt, NOW.toISOString());
    const entries = Object.entries(profile.terms);
    assert.ok(entries.length > 10 && entries.length <= PROFILE_SIZE);
    assert.equal(Math.max(...entries.map(([, w]) => w)), 1);
    for (const [term, weight] of entries) {
      assert.ok(term.split(' ').length <= 2, `"${term}" is not a term`);
      assert.ok(weight > 0 && weight <= 1);
    }
    assert.ok(profile.terms['pyongyang']! >= 0.8, 'the subject weighs most');
    assert.ok('accord defens' in profile.terms);
  });

  it('stays small on the seed article and keeps its key terms', (t) => {
    if (!existsSync(SEED)) return t.skip('../shared/seeds absent');
    const text = readFileSync(SEED, 'utf8');
    const profile = buildReferenceProfile(text, SEED, NOW);
    assert.equal(Object.keys(profile.terms).length, PROFILE_SIZE);
    for (const term of ['pyongyang', 'wonsan', 'accord defens', 'liaison aerien']) assert.ok(term in profile.terms, `${term} missing`);
    assert.ok(JSON.stringify(profile).length < 4_000);
  });
});

describe('scoreDocument', () => {
  const profile = buildReferenceProfile(REFERENCE, 'ref', NOW);
  const stats = buildCorpusStats([RELEVANT, UNRELATED, ...OTHERS]);

  it('scores a story about Pyongyang, flights and defence above an unrelated one', () => {
    const relevant = scoreDocument(RELEVANT, profile, stats);
    const unrelated = scoreDocument(UNRELATED, profile, stats);
    assert.ok(relevant > 0.2, `relevant scored ${relevant}`);
    assert.ok(unrelated < 0.05, `unrelated scored ${unrelated}`);
    assert.ok(relevant > 4 * unrelated);
  });

  it('stays in [0, 1]: 0 for nothing shared or no text, high for the reference itself', () => {
    assert.equal(scoreDocument('', profile, stats), 0);
    assert.equal(scoreDocument('de la et le', profile, stats), 0);
    assert.equal(scoreDocument('Vendanges en Bourgogne.', profile, stats), 0);
    const self = scoreDocument(REFERENCE, profile, stats);
    assert.ok(self > 0.6 && self <= 1, `reference scored ${self}`);
    for (const text of [RELEVANT, UNRELATED, ...OTHERS]) {
      const score = scoreDocument(text, profile, stats);
      assert.ok(score >= 0 && score <= 1, `${score}`);
    }
  });

  it('weighs terms rare in the archive more', () => {
    const story = 'Des vols vers Pyongyang et un match de rugby.';
    const rareFlights = buildCorpusStats([...OTHERS, 'Le rugby, le rugby encore.', 'Un match de rugby.']);
    const commonFlights = buildCorpusStats([...OTHERS, 'Des vols vers Pyongyang.', 'Pyongyang annonce des vols.']);
    assert.ok(scoreDocument(story, profile, rareFlights) > scoreDocument(story, profile, commonFlights));
  });

  it('copes with an empty archive and inconsistent frequencies', () => {
    const empty = buildCorpusStats([]);
    const score = scoreDocument(RELEVANT, profile, empty);
    assert.ok(score > 0 && score <= 1);
    const odd = { documentCount: 2, documentFrequency: () => 50 };
    const oddScore = scoreDocument(RELEVANT, profile, odd);
    assert.ok(oddScore > 0 && oddScore <= 1);
  });
});
