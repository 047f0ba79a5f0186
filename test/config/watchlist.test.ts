import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseWatchlistText } from '../../src/config/parse-watchlist.js';
import { validateWatchlist } from '../../src/config/watchlist.js';
import { compileFacets, matchFacets } from '../../src/match/match-facets.js';

const base = { feeds: ['https://ex.org/rss'], keywords: ['Wonsan'] };
function errorsOf(doc: unknown): string[] {
  return validateWatchlist(doc, 'fallback').errors;
}
function assertError(doc: unknown, pattern: RegExp): void {
  const errors = errorsOf(doc);
  assert.ok(
    errors.some((e) => pattern.test(e)),
    `no error matching ${pattern} in:\n${errors.join('\n')}`,
  );
}

describe('validateWatchlist: a full watchlist', () => {
  it('reads every field into the model', () => {
    const result = validateWatchlist(
      {
        name: 'nk',
        description: 'd',
        feeds: ['https://ex.org/rss', { url: 'https://ex.org/list', label: 'List', type: 'html', selectors: { links: 'h2 a', title: 'h2', date: 'time' }, fullText: 'always', fullTextMinChars: 300 }],
        keywords: ['Lavrov', { term: 'RPDC', aliases: ['KNDR'], case: true }, { term: 'mère', aliases: [], exact: true, inflect: false }],
        rules: ['accord NEAR/5 défense', { name: 'vols', query: 'title:vol* AND Wonsan' }],
        exclude: ['football', 'sport AND NOT Corée'],
        fullText: 'auto',
        fullTextMinChars: 400,
        reference: { seed: 'seed.html', createdAt: '2025-01-31T12:00:00Z', terms: { wonsan: 0.4, lavrov: 0.2 } },
      },
      'fallback',
    );
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.value, {
      name: 'nk',
      description: 'd',
      feeds: [
        { url: 'https://ex.org/rss', label: null },
        { url: 'https://ex.org/list', label: 'List', type: 'html', selectors: { links: 'h2 a', title: 'h2', date: 'time' }, fullText: 'always', fullTextMinChars: 300 },
      ],
      keywords: [
        { term: 'Lavrov', aliases: [] },
        { term: 'RPDC', aliases: ['KNDR'], case: true },
        { term: 'mère', aliases: [], exact: true, inflect: false },
      ],
      rules: [
        { name: null, query: 'accord NEAR/5 défense' },
        { name: 'vols', query: 'title:vol* AND Wonsan' },
      ],
      exclude: ['football', 'sport AND NOT Corée'],
      fullText: 'auto',
      fullTextMinChars: 400,
      reference: { seed: 'seed.html', createdAt: '2025-01-31T12:00:00Z', terms: { wonsan: 0.4, lavrov: 0.2 } },
    });
  });

  it('a watchlist with rules and no keywords is valid', () => {
    assert.deepEqual(errorsOf({ feeds: [], rules: ['a AND b'] }), []);
  });
});

describe('validateWatchlist: each message names the field path and what is wrong', () => {
  const cases: [string, unknown, RegExp][] = [
    ['unknown top-level field, with a suggestion', { ...base, keyword: ['x'] }, /^keyword: unknown field \(did you mean "keywords"\?\); expected one of name, description, feeds, keywords, rules/],
    ['unknown feed field', { ...base, feeds: [{ url: 'https://ex.org', lable: 'x' }] }, /^feeds\[0\]\.lable: unknown field \(did you mean "label"\?\)/],
    ['unknown keyword field', { ...base, keywords: [{ term: 'x', alias: ['y'] }] }, /^keywords\[0\]\.alias: unknown field \(did you mean "aliases"\?\)/],
    ['unknown rule field', { ...base, rules: [{ query: 'a', nom: 'x' }] }, /^rules\[0\]\.nom: unknown field \(did you mean "name"\?\); expected one of name, query/],
    ['feeds not a list', { ...base, feeds: 'https://ex.org' }, /^feeds: must be a list .*found the text "https:\/\/ex.org"/],
    ['bad scheme', { ...base, feeds: ['ftp://ex.org/rss'] }, /^feeds\[0\]: unsupported scheme "ftp:"/],
    ['bad scheme in an object', { ...base, feeds: [{ url: 'javascript:alert(1)' }] }, /^feeds\[0\]\.url: unsupported scheme "javascript:"/],
    ['bad URL', { ...base, feeds: ['http://exa mple.org/'] }, /^feeds\[0\]: not a valid URL/],
    ['URL without host', { ...base, feeds: ['https://'] }, /^feeds\[0\]: not a valid URL/],
    ['url of wrong type', { ...base, feeds: [{ url: 42 }] }, /^feeds\[0\]\.url: must be a string, found the number 42/],
    ['missing url', { ...base, feeds: [{ label: 'x' }] }, /^feeds\[0\]\.url: missing/],
    ['bad type', { ...base, feeds: [{ url: 'https://ex.org', type: 'atom' }] }, /^feeds\[0\]\.type: must be "feed" or "html", found the text "atom"/],
    ['html without selectors', { ...base, feeds: [{ url: 'https://ex.org', type: 'html' }] }, /^feeds\[0\]\.selectors: missing; an html source needs selectors/],
    ['selectors without links', { ...base, feeds: [{ url: 'https://ex.org', type: 'html', selectors: { title: 'h2' } }] }, /^feeds\[0\]\.selectors\.links: missing/],
    ['selectors on a feed', { ...base, feeds: [{ url: 'https://ex.org', selectors: { links: 'a' } }] }, /^feeds\[0\]\.selectors: only used with type: html/],
    ['unknown selector', { ...base, feeds: [{ url: 'https://ex.org', type: 'html', selectors: { links: 'a', author: 'b' } }] }, /^feeds\[0\]\.selectors\.author: unknown field/],
    ['feed fullText', { ...base, feeds: [{ url: 'https://ex.org', fullText: true }] }, /^feeds\[0\]\.fullText: must be one of auto, always, never, found true/],
    ['feed fullTextMinChars', { ...base, feeds: [{ url: 'https://ex.org', fullTextMinChars: 0 }] }, /^feeds\[0\]\.fullTextMinChars: must be a positive whole number, found the number 0/],
    ['fullText', { ...base, fullText: 'sometimes' }, /^fullText: must be one of auto, always, never, found the text "sometimes"/],
    ['fullTextMinChars', { ...base, fullTextMinChars: 12.5 }, /^fullTextMinChars: must be a positive whole number, found the number 12.5/],
    ['keywords missing', { feeds: [] }, /^keywords: missing/],
    ['keyword of wrong type', { ...base, keywords: [3] }, /^keywords\[0\]: must be a string or \{ term, aliases, inflect, case, exact \}, found the number 3/],
    ['keyword without letters', { ...base, keywords: ['—'] }, /^keywords\[0\]: "—" has no letters or digits/],
    ['alias of wrong type', { ...base, keywords: [{ term: 'x', aliases: ['y', 2] }] }, /^keywords\[0\]\.aliases\[1\]: must be a non-empty string, found the number 2/],
    ['aliases not a list', { ...base, keywords: [{ term: 'x', aliases: 'y' }] }, /^keywords\[0\]\.aliases: must be a list/],
    ['flag not boolean', { ...base, keywords: [{ term: 'x', case: 'yes' }] }, /^keywords\[0\]\.case: must be true or false, found the text "yes"/],
    ['rule of wrong type', { ...base, rules: [['a']] }, /^rules\[0\]: must be a query string or \{ name, query \}, found a list/],
    ['invalid rule query, with position', { ...base, rules: ['Wonsan', 'accord NEAR défense'] }, /^rules\[1\]: at column 8: expected NEAR\/n with a number of words/],
    ['invalid named rule query', { ...base, rules: [{ name: 'r', query: '(a OR b' }] }, /^rules\[0\]\.query: at column 8: expected an operator \(AND, OR, NEAR\/n\) or "\)"/],
    ['rule name taken by a keyword', { ...base, rules: [{ name: 'Wonsan', query: 'a' }] }, /^rules\[0\]\.name: "Wonsan" is already used by keywords\[0\]/],
    ['a clash after an invalid rule names the file index', { ...base, rules: ['a OR', { name: 'Wonsan', query: 'b' }] }, /^rules\[1\]\.name: "Wonsan" is already used by keywords\[0\]/],
    ['invalid exclusion query', { ...base, exclude: ['football AND'] }, /^exclude\[0\]: at column 13: expected a word/],
    ['exclusion of wrong type', { ...base, exclude: [{ term: 'x' }] }, /^exclude\[0\]: must be a non-empty string \(a word, phrase or query\), found a mapping/],
    ['reference not a mapping', { ...base, reference: 'x' }, /^reference: must be a mapping \{ seed, createdAt, terms \}/],
    ['reference date', { ...base, reference: { seed: 's', createdAt: 'yesterday', terms: {} } }, /^reference\.createdAt: must be an ISO date/],
    ['reference weight', { ...base, reference: { seed: 's', createdAt: '2025-01-01', terms: { a: 'x' } } }, /^reference\.terms\.a: must be a number, found the text "x"/],
    ['reference terms missing', { ...base, reference: { seed: 's', createdAt: '2025-01-01' } }, /^reference\.terms: missing/],
    ['name', { ...base, name: 'a b' }, /^name: must be letters, digits/],
  ];
  for (const [what, doc, pattern] of cases) it(what, () => assertError(doc, pattern));

  it('collects every problem, not only the first', () => {
    assert.equal(errorsOf({ feeds: ['ftp://x'], keywords: [3], rules: ['a AND'], fullText: 'x' }).length, 4);
  });

  it('warns about a spelling listed twice and ignored options', () => {
    const result = validateWatchlist({ ...base, keywords: ['Corée du Nord', { term: 'Kim', aliases: ['corée-du-nord'] }, { term: 'ONU', aliases: [], case: true, inflect: true }] }, 'x');
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings.sort(), ['keywords[1].aliases[0]: "corée-du-nord" is the same spelling as keywords[0].term', 'keywords[2].inflect: ignored: case terms match as written']);
  });

  it('reads reference.createdAt from YAML, quoted or not, and from a Date (YAML 1.1 timestamps)', () => {
    const doc = parse('feeds: []\nkeywords: [a]\nreference:\n  seed: s\n  createdAt: 2025-01-31T12:00:00Z\n  terms: { a: 1 }\n');
    assert.equal(validateWatchlist(doc, 'x').value?.reference?.createdAt, '2025-01-31T12:00:00Z');
    const dated = { ...base, reference: { seed: 's', createdAt: new Date('2025-01-31T12:00:00Z'), terms: {} } };
    assert.equal(validateWatchlist(dated, 'x').value?.reference?.createdAt, '2025-01-31T12:00:00.000Z');
  });
});

describe('the shipped watchlist', () => {
  it('is valid, carries the seed as facets and a reference profile, and matches its own subject', async () => {
    const file = new URL('../../watchlists/coree-russie.yaml', import.meta.url);
    const { watchlist, warnings } = parseWatchlistText(await readFile(file, 'utf8'), 'coree-russie.yaml');
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      watchlist.facets!.map((f) => [f.name, f.kind, f.countries]),
      [
        ['Corée du Nord', 'actor', ['KP']],
        ['Russie', 'actor', ['RU']],
        ['thème', 'theme', []],
      ],
    );
    assert.equal(watchlist.require, 'Corée du Nord AND Russie');
    assert.equal(watchlist.reference!.minScore, 0.5);
    assert.ok(Object.keys(watchlist.reference!.terms).length > 50);
    const facets = compileFacets(watchlist)!;
    const relation = matchFacets({ title: 'Moscou et P’yŏngyang renforcent leur coopération', summary: "Les deux pays ont signé l'accord de défense mutuelle ; des vols directs vers Wonsan.", content: '' }, facets);
    assert.equal(relation.satisfied, true);
    assert.deepEqual(
      relation.facets.map((f) => f.facet),
      ['Corée du Nord', 'Russie', 'thème'],
    );
    const oneSide = matchFacets({ title: 'Pyongyang tire un nouveau missile', summary: 'Le tir a eu lieu depuis Wonsan.', content: '' }, facets);
    assert.equal(oneSide.satisfied, false);
  });
});
