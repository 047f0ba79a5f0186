import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Keyword, Watchlist } from '../../src/config/watchlist.js';
import { ConfigError } from '../../src/errors.js';
import { compileWatchlist, explainMatch, matchItem, type MatchFields } from '../../src/match/match-item.js';
import { htmlToText } from '../../src/text/html-to-text.js';

function watchlist(keywords: (string | Keyword)[], extra: Partial<Watchlist> = {}): Watchlist {
  return { name: 't', description: '', feeds: [], keywords: keywords.map((k) => (typeof k === 'string' ? { term: k, aliases: [] } : k)), exclude: [], ...extra };
}
const summary = (text: string): MatchFields => ({ title: '', summary: text, content: '' });
/** The variants each keyword or rule found in `text`. */
function found(w: Watchlist, text: string): Record<string, string> {
  const result = matchItem(summary(text), compileWatchlist(w));
  return Object.fromEntries(result.terms.map((t) => [t.term, t.variant]));
}

describe('matchItem: normalisation rules, each with its precision counter-case', () => {
  const cases: [string, string | Keyword, string, boolean][] = [
    ['accents and case', 'défense', 'la DEFENSE aérienne', true],
    ['accents: another word stays another word', 'défense', 'il faut défendre', false],
    ['typographic apostrophe', "Côte d'Ivoire", 'la Côte d’Ivoire', true],
    ["elision: the term inside l'", 'accord de défense', "l'accord de défense signé", true],
    ['elision: a term with its article needs the article', "l'accord", 'un accord', false],
    ['hyphens are spaces', 'Corée du Nord', 'la Corée-du-Nord', true],
    ['hyphens: the words must still follow each other', 'Corée du Nord', 'la Corée du Sud, au nord', false],
    ['line breaks are spaces inside a line', 'Kim Jong Un', 'Kim\tJong-un', true],
    ['a sentence end breaks a phrase', 'Corée du Nord', 'En Corée. Du nord au sud', false],
    ['word boundary: prefix', 'accord', 'un désaccord profond', false],
    ['word boundary: suffix', 'Kim', 'Kimchi', false],
    ['plural', 'accord', 'des accords', true],
    ['feminine plural', 'aérien', 'des liaisons aériennes', true],
    ['term given in the plural matches the singular', 'liaisons aériennes', 'une liaison aérienne', true],
    ['participle is not the noun', 'accord', 'un prêt accordé', false],
    ['demonym is not the city', 'Pyongyang', 'un diplomate pyongyangais', false],
    ['short words do not inflect', 'de', 'des', false],
  ];
  for (const [rule, keyword, text, expected] of cases) {
    it(`${rule}: ${JSON.stringify(text)} ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(matchItem(summary(text), compileWatchlist(watchlist([keyword]))).matched, expected);
    });
  }
});

describe('matchItem: keyword options', () => {
  it('inflect: false matches the spelling only', () => {
    const w = watchlist([{ term: 'accord', aliases: [], inflect: false }]);
    assert.deepEqual(found(w, 'des accords'), {});
    assert.deepEqual(found(w, 'un ACCORD'), { accord: 'ACCORD' });
  });

  it('case: true for an acronym', () => {
    const w = watchlist([{ term: 'ONU', aliases: [], case: true }]);
    assert.deepEqual(found(w, "l'ONU"), { ONU: 'ONU' });
    assert.deepEqual(found(w, 'il onu'), {});
  });

  it('exact: true keeps accents (but not case)', () => {
    const w = watchlist([{ term: 'mère', aliases: [], exact: true }]);
    assert.deepEqual(found(w, 'la MÈRE'), { mère: 'MÈRE' });
    assert.deepEqual(found(w, 'la mer'), {});
    assert.deepEqual(found(w, 'la mere'), {});
  });

  it('aliases in several scripts, reported under the term with the spelling found', () => {
    const w = watchlist([{ term: 'Pyongyang', aliases: ["P'yŏngyang", 'Pyeongyang', 'Pjöngjang', 'Пхеньян', '평양'] }]);
    for (const text of ['P’yŏngyang', 'Pyeongyang', 'PJÖNGJANG', 'в Пхеньяне', '평양에서']) assert.equal(matchItem(summary(text), compileWatchlist(w)).matched, true, text);
    const result = matchItem(summary('De Pjöngjang à Пхеньян'), compileWatchlist(w));
    assert.equal(result.terms[0]!.count, 2);
    assert.equal(result.terms[0]!.variant, 'Pjöngjang');
  });
});

describe('matchItem: why it matched', () => {
  it('records term, variant, field and offsets in the original text of each field', () => {
    const fields: MatchFields = { title: 'Kim Jong-un à Wonsan', summary: 'Arrivée de KIM JONG UN', content: '', body: 'Kim Jong Un.' };
    const result = matchItem(fields, compileWatchlist(watchlist([{ term: 'Kim Jong Un', aliases: [] }])));
    const [m] = result.terms;
    assert.equal(m!.kind, 'keyword');
    assert.equal(m!.variant, 'Kim Jong-un');
    assert.equal(m!.field, 'title');
    assert.equal(m!.count, 3);
    assert.deepEqual(m!.offsets, { title: [[0, 11]], summary: [[11, 22]], body: [[0, 11]] });
  });

  it('a rule records its name, query and the spans that satisfied it', () => {
    const w = watchlist([], { rules: [{ name: 'pacte', query: 'accord NEAR/3 défense' }] });
    const text = "L'accord, signé hier, porte sur la défense. Un accord commercial.";
    const result = matchItem(summary(text), compileWatchlist(w));
    assert.equal(result.terms.length, 1);
    const [m] = result.terms;
    // The first "accord" is 5 words from "défense"; the second, across the sentence, is 1 word away.
    assert.deepEqual({ term: m!.term, kind: m!.kind, query: m!.query, variant: m!.variant, count: m!.count }, { term: 'pacte', kind: 'rule', query: 'accord NEAR/3 défense', variant: 'défense … accord', count: 2 });
    assert.deepEqual(
      m!.offsets.summary!.map(([s, e]) => text.slice(s, e)),
      ['défense', 'accord'],
    );
    assert.equal(m!.offsets.summary![1]![0], text.lastIndexOf('accord'));
    assert.deepEqual(found(w, "l'accord de défense"), { pacte: 'accord … défense' });
  });

  it('overlapping spellings are counted once', () => {
    const w = watchlist([{ term: 'Corée du Nord', aliases: ['Corée-du-Nord', 'corée du nord'] }]);
    assert.equal(matchItem(summary('la Corée du Nord'), compileWatchlist(w)).terms[0]!.count, 1);
  });
});

describe('matchItem: rules and exclusions', () => {
  const w = watchlist(['Lavrov'], {
    rules: [
      { name: 'pacte', query: 'accord NEAR/5 défense' },
      { name: null, query: 'title:(Wonsan OR Vladivostok) AND liaison*' },
    ],
    exclude: ['football', 'Lavrov AND "Coupe du monde"'],
  });
  const compiled = compileWatchlist(w);
  const labels = (fields: MatchFields) => matchItem(fields, compiled).terms.map((t) => t.term);

  it('NEAR counts the words between', () => {
    assert.deepEqual(labels(summary('accord sur la défense')), ['pacte']);
    assert.deepEqual(labels(summary('accord un deux trois quatre cinq six défense')), []);
    assert.deepEqual(labels(summary('défense un deux trois quatre cinq accord')), ['pacte']);
  });

  it('field scope and suffix wildcard', () => {
    const rule = 'title:(Wonsan OR Vladivostok) AND liaison*';
    assert.deepEqual(labels({ title: 'Vol vers Wonsan', summary: 'nouvelles liaisons', content: '' }), [rule]);
    assert.deepEqual(labels({ title: 'Vols', summary: 'Wonsan, liaisons', content: '' }), []);
  });

  it('an exclusion vetoes the item and says which', () => {
    const result = matchItem(summary('Lavrov et le football'), compiled);
    assert.deepEqual(result, { matched: false, terms: [], excludedBy: 'football' });
    assert.equal(matchItem(summary('Lavrov commente la coupe du monde'), compiled).excludedBy, 'Lavrov AND "Coupe du monde"');
    assert.equal(matchItem(summary('Lavrov commente les coupes du monde'), compiled).matched, true, 'quoted phrases do not inflect');
  });

  it('explainMatch lists what failed, and the phrases each rule found', () => {
    const explanation = explainMatch(summary('Un accord, puis bien plus loin dans le texte, la défense.'), compiled);
    assert.equal(explanation.matched, false);
    const pacte = explanation.checks.find((c) => c.term === 'pacte')!;
    assert.equal(pacte.matched, false);
    assert.deepEqual(pacte.phrases, [
      { text: 'accord', found: true },
      { text: 'défense', found: true },
    ]);
    assert.deepEqual(
      explanation.checks.map((c) => [c.kind, c.matched]),
      [
        ['exclusion', false],
        ['exclusion', false],
        ['keyword', false],
        ['rule', false],
        ['rule', false],
      ],
    );
  });

  it('compileWatchlist names the field and column of a bad query', () => {
    assert.throws(
      () => compileWatchlist(watchlist([], { rules: [{ name: null, query: 'accord NEAR défense' }] })),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /rules\[0\]\.query: at column 8: expected NEAR\/n/);
        return true;
      },
    );
  });
});

describe('matching runs on text, never on markup', () => {
  it('htmlToText then matchItem: attributes and URLs do not match, entities do', () => {
    const html = '<p class="accord"><a href="https://ex.org/pyongyang-wonsan">Lire</a> la d&eacute;fense de <b>Wonsan</b></p>';
    const w = watchlist(['accord', 'Pyongyang', 'défense', 'Wonsan']);
    const text = htmlToText(html);
    const result = matchItem(summary(text), compileWatchlist(w));
    assert.deepEqual(
      result.terms.map((t) => t.term),
      ['défense', 'Wonsan'],
    );
  });

  it('markup left in text by a double-escaped feed is not read either', () => {
    const text = htmlToText('&lt;a href="https://ex.org/accord"&gt;Wonsan&lt;/a&gt;');
    assert.match(text, /<a href/);
    const result = matchItem(summary(text), compileWatchlist(watchlist(['accord', 'Wonsan'])));
    assert.deepEqual(
      result.terms.map((t) => [t.term, t.variant]),
      [['Wonsan', 'Wonsan']],
    );
    assert.equal(text.slice(...result.terms[0]!.offsets.summary![0]!), 'Wonsan');
  });
});

describe('matchItem: many terms', () => {
  it('500 keywords find the same items as each keyword alone', () => {
    const terms = Array.from({ length: 500 }, (_, i) => `mot${i} clé${i % 7}`);
    const big = compileWatchlist(watchlist(terms));
    const text = 'Le mot42 clé0 et le mot43 clé1, pas mot44 clé9.';
    assert.deepEqual(
      matchItem(summary(text), big).terms.map((t) => t.term),
      ['mot42 clé0', 'mot43 clé1'],
    );
    for (const term of ['mot42 clé0', 'mot44 clé2']) assert.equal(matchItem(summary(text), compileWatchlist(watchlist([term]))).matched, term === 'mot42 clé0');
  });
});
