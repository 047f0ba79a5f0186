import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateWatchlist, type Facet, type Watchlist } from '../../src/config/watchlist.js';
import { compileFacets, matchFacets } from '../../src/match/match-facets.js';
import { dropTerms, NoEntityError, proposeFacets, requireFor } from '../../src/relevance/propose-facets.js';
import { relevanceScore, seedCutOff } from '../../src/relevance/relevance-score.js';

// Seeds written for these tests (our own sentences): another bilateral relation in French, one in
// English, a one-country story, and a text that names nobody.
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/seeds/${name}`, import.meta.url)), 'utf8');
const SHARED_SEED = fileURLToPath(new URL('../../../shared/seeds/000_8fc84a7b7fabce73.txt', import.meta.url));

const facet = (name: string, countries: string[], terms: string[] = [], kind: Facet['kind'] = 'actor'): Facet => ({ name, kind, countries, terms });
const watchlistWith = (facets: Facet[], require?: string): Watchlist => ({ name: 't', description: '', feeds: [], keywords: [], rules: [], exclude: [], facets, ...(require ? { require } : {}) });
const summary = (fields: { title: string; summary?: string }, w: Watchlist) => {
  const r = matchFacets({ title: fields.title, summary: fields.summary ?? '', content: '' }, compileFacets(w)!);
  return { satisfied: r.satisfied, why: r.facets.map((f) => `${f.facet}: ${f.words.join(', ')}`).join(' · ') };
};

describe('proposeFacets: actors and themes from a seed article', () => {
  it('finds the two sides of a French article on a relation, with the people it ties to each', () => {
    const p = proposeFacets(fixture('france-algerie.fr.txt'));
    assert.equal(p.language, 'fr');
    const [a, b, theme] = p.facets;
    assert.deepEqual([a!.name, a!.countries, a!.terms], ['Algérie', ['DZ'], ['Abdelmadjid Tebboune', 'Tebboune']]);
    assert.deepEqual([b!.name, b!.countries, b!.terms], ['France', ['FR'], ['Jean-Noël Barrot', 'Barrot']]);
    assert.equal(theme!.kind, 'theme');
    assert.ok(theme!.terms.includes('coopération migratoire'));
    assert.equal(p.require, 'Algérie AND France');
  });

  it('reads an English seed the same way, with English facet names', () => {
    const p = proposeFacets(fixture('india-china.en.txt'));
    assert.equal(p.language, 'en');
    assert.deepEqual(
      p.facets.map((f) => [f.name, f.kind, f.countries, f.terms.slice(0, 2)]),
      [
        ['India', 'actor', ['IN'], ['Subrahmanyam Jaishankar', 'Jaishankar']],
        ['China', 'actor', ['CN'], ['Wang Yi']],
        ['theme', 'theme', [], ['direct flights', 'border patrols']],
      ],
    );
    assert.equal(p.require, 'India AND China');
  });

  it('asks for one country and a theme when the seed is not about a relation', () => {
    const p = proposeFacets(fixture('bresil-election.fr.txt'));
    assert.deepEqual(
      p.facets.map((f) => f.name),
      ['Brésil', 'thème'],
    );
    assert.ok(p.facets[1]!.terms.includes('élection présidentielle'));
    assert.equal(p.require, 'Brésil AND thème');
  });

  it('refuses a seed that names no country, person or organisation', () => {
    assert.throws(() => proposeFacets(fixture('no-entity.fr.txt')), NoEntityError);
  });

  it('proposes the sides of the reference seed, without fragments such as "Affaires"', (t) => {
    if (!existsSync(SHARED_SEED)) return t.skip('../shared/seeds absent');
    const p = proposeFacets(readFileSync(SHARED_SEED, 'utf8'));
    assert.deepEqual(
      p.facets
        .filter((f) => f.kind === 'actor')
        .map((f) => f.countries[0])
        .sort(),
      ['KP', 'RU'],
    );
    assert.ok(!p.facets.some((f) => f.terms.some((term) => /Affaires/.test(term))));
    assert.match(p.require, / AND /);
  });

  it('drops terms by number and keeps require in step', () => {
    const p = proposeFacets(fixture('bresil-election.fr.txt'));
    const themeTerms = p.facets[1]!.terms.length;
    const dropped = dropTerms(p, new Set(Array.from({ length: themeTerms }, (_, i) => i)));
    assert.deepEqual(
      dropped.facets.map((f) => f.name),
      ['Brésil'],
    );
    assert.equal(dropped.require, 'Brésil');
    assert.equal(requireFor([facet('A', ['FR']), facet('B', ['DZ']), facet('thème', [], ['visas'], 'theme')]), 'A AND B');
  });
});

describe('matchFacets: the relation across languages', () => {
  const relation = watchlistWith([facet('Algérie', ['DZ'], ['Tebboune']), facet('France', ['FR'], ['Barrot']), facet('thème', [], ['coopération migratoire'], 'theme')], 'Algérie AND France');

  it('finds both sides by names, capitals, seats of power, demonyms and people, in French and English', () => {
    assert.deepEqual(summary({ title: "L'Élysée reçoit Tebboune pour relancer la coopération migratoire" }, relation), {
      satisfied: true,
      why: 'Algérie: Tebboune · France: Élysée · thème: coopération migratoire',
    });
    assert.deepEqual(summary({ title: 'Algiers and Paris agree to ease visas', summary: 'French and Algerian officials met.' }, relation), {
      satisfied: true,
      why: 'Algérie: Algiers, Algerian · France: Paris, French',
    });
    assert.equal(summary({ title: 'Un accord franco-algérien sur les archives' }, relation).satisfied, true);
    assert.equal(summary({ title: 'Oran accueille une délégation de Marseille' }, relation).satisfied, true);
  });

  it('needs both sides: one side, or a third country, is not the relation', () => {
    assert.equal(summary({ title: "L'Algérie augmente ses exportations de gaz vers l'Italie" }, relation).satisfied, false);
    assert.equal(summary({ title: 'La France et le Maroc signent un accord' }, relation).satisfied, false);
  });

  it('reads proper names only when capitalised, and a combining form only before a hyphen', () => {
    const w = watchlistWith([facet('Turquie', ['TR']), facet('France', ['FR'])]);
    assert.equal(summary({ title: 'Roast turkey is served in nice restaurants in France' }, w).satisfied, false);
    assert.equal(summary({ title: 'Le style franco et la Turquie' }, w).satisfied, false);
    assert.equal(summary({ title: 'Un sommet franco-turc à Ankara' }, w).satisfied, true);
  });

  it('reads "le Nord" as North Korea only next to Korea', () => {
    const w = watchlistWith([facet('Russie', ['RU']), facet('Corée du Nord', ['KP'])]);
    assert.deepEqual(summary({ title: "Séoul convoque l'ambassadeur russe après le traité avec le Nord" }, w), { satisfied: true, why: 'Russie: russe · Corée du Nord: Nord' });
    assert.equal(summary({ title: 'Le Nord de la France sous la neige, la Russie aussi' }, w).satisfied, false);
  });

  it('combines facets with AND, OR and NOT', () => {
    const w = watchlistWith([facet('A', ['JP']), facet('B', ['AU']), facet('C', ['CN'])], 'A AND (B OR C) AND NOT C');
    assert.equal(summary({ title: 'Tokyo and Canberra sign a defence pact' }, w).satisfied, true);
    assert.equal(summary({ title: 'Tokyo, Canberra and Beijing talk' }, w).satisfied, false);
    assert.equal(summary({ title: 'Tokyo talks' }, w).satisfied, false);
  });
});

describe('relevance score and the cut-off from the seed', () => {
  it('puts the relation first and lets similarity rank within it', () => {
    const both = relevanceScore(0.1, { satisfied: true, found: 2, required: 2 });
    const one = relevanceScore(0.3, { satisfied: false, found: 1, required: 2 });
    assert.equal(both, 0.55);
    assert.equal(one, 0.275);
    assert.equal(relevanceScore(0.3, null), 0.3);
  });

  it('derives the default cut-off: the relation with facets, a share of the seed similarity without', () => {
    assert.equal(seedCutOff(0.64, true), 0.5);
    assert.equal(seedCutOff(0.64, false), 0.064);
  });
});

describe('facets in the watchlist file', () => {
  const base = { feeds: [], keywords: [] };
  it('accepts facets and require, and names the culprit of a mistake', () => {
    const ok = validateWatchlist(
      {
        ...base,
        facets: [
          { name: 'Inde', countries: ['in'], terms: ['Jaishankar'] },
          { name: 'Chine', countries: ['CN'] },
        ],
        require: 'Inde AND Chine',
      },
      'x',
    );
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.value!.facets, [
      { name: 'Inde', kind: 'actor', countries: ['IN'], terms: ['Jaishankar'] },
      { name: 'Chine', kind: 'actor', countries: ['CN'], terms: [] },
    ]);
    const bad = validateWatchlist(
      {
        ...base,
        facets: [
          { name: 'Inde', kind: 'side', countries: ['XX'] },
          { name: 'Chine', terms: [] },
        ],
        require: 'Inde NEAR/3 Japon',
      },
      'x',
    );
    assert.deepEqual(bad.errors, [
      'facets[0].kind: must be actor or theme, found the text "side"',
      'facets[0].countries[0]: "XX" is not an ISO 3166-1 alpha-2 country code (RU, KP, FR, US…)',
      'facets[1]: empty; list countries: or terms: (the words that satisfy this facet)',
      'require: only AND, OR, NOT and parentheses combine facets (no NEAR/ or field:)',
    ]);
    const unknown = validateWatchlist({ ...base, facets: [{ name: 'Inde', countries: ['IN'] }], require: 'Inde AND Japon' }, 'x');
    assert.deepEqual(unknown.errors, ['require: "Japon" is not a facet name (facets: Inde)']);
    const clash = validateWatchlist({ feeds: [], keywords: ['Inde'], facets: [{ name: 'Inde', countries: ['IN'] }] }, 'x');
    assert.deepEqual(clash.errors, ['facets[0].name: "Inde" is already used by keywords[0]; give the facet another name']);
  });
});
