/**
 * Every form a term takes in real feeds (docs/watchlists.md, "How text and terms
 * are compared"), each with its precision counter-case: the same words across
 * something that is not a gap must not match.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { testWatchlist } from '../../src/cli/commands/watchlist.js';
import type { Keyword, Watchlist } from '../../src/config/watchlist.js';
import { compileWatchlist, matchItem, type MatchFields } from '../../src/match/match-item.js';
import { parseQuery } from '../../src/match/parse-query.js';
import { tokenizeText } from '../../src/match/normalize.js';
import { toFts5Query, toTextPrefilter } from '../../src/store/text-filter.js';
import { htmlToText } from '../../src/text/html-to-text.js';
import { isStopWord } from '../../src/text/stop-words.js';
import { openTestStore, STORE_BACKENDS } from '../helpers/stores.js';
import { makeItem, okRecord } from '../store/fixtures.js';

function watchlist(keywords: (string | Keyword)[], extra: Partial<Watchlist> = {}): Watchlist {
  return { name: 't', description: '', feeds: [], keywords: keywords.map((k) => (typeof k === 'string' ? { term: k, aliases: [] } : k)), exclude: [], ...extra };
}
const summary = (text: string): MatchFields => ({ title: '', summary: text, content: '' });
const matches = (term: string | Keyword, text: string) => matchItem(summary(text), compileWatchlist(watchlist([term]))).matched;

/** [form, term, text that matches, counter-case that must not]. */
const FORMS: [string, string, string, string][] = [
  ['line break between the words of a phrase', 'accord de défense', "l'accord de\ndéfense", "l'accord de\n\ndéfense"],
  ['CR LF between the words', 'Sergueï Lavrov', 'Sergueï\r\nLavrov', 'Sergueï.\r\nLavrov'],
  ['line break before the last word', 'Corée du Nord', 'la Corée du\nNord', 'la Corée du\n\nNord'],
  ['line break inside an inflected phrase', 'liaison aérienne', 'des liaisons\naériennes', 'des liaisons.\naériennes'],
  ['tab and no-break spaces', 'Corée du Nord', 'Corée\tdu\u00a0Nord', 'Corée\tdu.\u00a0Nord'],
  ['narrow no-break and thin spaces', 'Corée du Nord', 'Corée\u202fdu\u2009Nord', 'Corée\u202fdu!\u2009Nord'],
  ['ideographic and other Unicode spaces', 'Corée du Nord', 'Corée\u3000du\u2005Nord', 'Corée\u3000du?\u2005Nord'],
  ['<br> left in the text', 'accord de défense', "l'accord de<br>défense", "l'accord de<br><br>défense"],
  ['<b>, <em>, <span>, <a> left in the text', 'accord de défense', "l'<b>accord</b> <em>de</em> <span class='x'>défense</span>", "l'accord de</p><p>défense"],
  ['a link around one word', 'Corée du Nord', 'la Corée du <a href="https://ex.org/a">Nord</a>', 'la Corée du</li><li><a href="https://ex.org/a">Nord</a>'],
  ['soft hyphen inside a word', 'défense', 'la dé\u00adfense', 'la dé.\u00ad fense'],
  ['soft hyphen between words', 'accord de défense', 'accord de\u00ad défense', 'accord de\u00ad\n\ndéfense'],
  ['non-breaking hyphen U+2011', 'Kim Jong-un', 'Kim Jong\u2011un', 'Kim Jong. \u2011un'],
  ['hyphen U+2010', 'Kim Jong Un', 'Kim Jong\u2010un', 'Kim Jong\u2010\n\nun'],
  ['en dash, em dash and horizontal bar U+2013–U+2015', 'Kim Jong Un', 'Kim\u2013Jong\u2014un', 'Kim\u2013Jong\u2015. un'],
  ['minus sign, small and full-width hyphen-minus', 'Kim Jong Un', 'Kim\u2212Jong\ufe63un', 'Kim\u2212Jong\uff0d\u2029un'],
  ['hyphen then line break: two words', 'Kim Jong-un', 'Kim Jong-\nun', 'Kim Jong-\n\nun'],
  ['hyphen then line break: one word', 'international', 'un accord inter-\nnational', 'un accord inter-\n\nnational'],
  ['hyphenation inside an inflected word', 'liaison aérienne', 'des liaisons aé-\nriennes', 'des liaisons aé.\nriennes'],
  ['one word written with a hyphen', 'Pyongyang', 'à Pyong-Yang', 'à Pyong. Yang'],
  ['one word written with a space', 'Pyongyang', 'à Pyong Yang', 'à Pyong\n\nYang'],
  ['one word in capitals with a hyphen', 'Pyongyang', 'À PYONG-YANG', 'À PYONG.-YANG'],
  ['one word with a non-breaking hyphen', 'Pyongyang', 'à Pyong\u2011Yang', 'à Pyong\u2011</p><p>Yang'],
  ['one word across a line break', 'Pyongyang', 'à Pyong\nYang', 'à Pyong,\nYang'],
  ['one word across inline markup', 'Pyongyang', 'à Pyong<b>yang</b>', 'à Pyong<td>yang</td>'],
  ['one word in two parts inside a phrase', 'liaisons vers Pyongyang', 'des liaisons vers Pyong-Yang', 'des liaisons vers Pyong; Yang'],
];

describe('matchItem: every form of a term, each with its precision counter-case', () => {
  for (const [form, term, yes, no] of FORMS) {
    it(`${form}: ${JSON.stringify(yes)} matches ${JSON.stringify(term)}, ${JSON.stringify(no)} does not`, () => {
      assert.equal(matches(term, yes), true, `${JSON.stringify(yes)} should match`);
      assert.equal(matches(term, no), false, `${JSON.stringify(no)} should not match`);
    });
  }
});

describe('feed HTML through htmlToText: inline markup is a gap, block boundaries are not', () => {
  const cases: [string, string, string, boolean][] = [
    ['<br>', 'accord de défense', "<p>l'accord de<br>défense</p>", true],
    ['<br> and a source line break', 'accord de défense', "<p>l'accord de<br/>\n   défense</p>", true],
    ['a line break in the source text', 'Corée du Nord', '<p>la Corée du\n  Nord</p>', true],
    ['inline tags', 'Kim Jong Un', '<p><b>Kim</b> <em>Jong</em>-<a href="/k">un</a></p>', true],
    ['markup inside a word', 'Pyongyang', '<p>Pyong<span>yang</span></p>', true],
    ['hyphenation across a <br>', 'international', '<p>inter-<br>national</p>', true],
    ['a paragraph boundary', 'accord de défense', "<p>l'accord de</p><p>défense</p>", false],
    ['two <br>', 'accord de défense', "<p>l'accord de<br><br>défense</p>", false],
    ['a list item boundary', 'Corée du Nord', '<ul><li>Corée du</li><li>Nord</li></ul>', false],
    ['a heading boundary', 'Corée du Nord', '<h3>Corée du</h3><p>Nord</p>', false],
    ['a table cell boundary', 'Pyongyang', '<table><tr><td>Pyong</td><td>Yang</td></tr></table>', false],
    ['a div boundary inside a word', 'Pyongyang', '<div>Pyong</div><div>yang</div>', false],
  ];
  for (const [form, term, html, expected] of cases) {
    it(`${form}: ${JSON.stringify(html)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(term)}`, () => {
      assert.equal(matches(term, htmlToText(html)), expected);
    });
  }
});

describe('a word in two parts: which parts join', () => {
  const cases: [string, string | Keyword, string, boolean][] = [
    ['two real parts across a space', 'Wonsan', 'le port de Won San', true],
    ['two real parts across a hyphen, either case', 'Vladivostok', 'à vladi-vostok', true],
    ['an inflected word in two parts', 'aérien', 'des liaisons aé-riennes', true],
    ['a line-end hyphenation joins even short or common parts', 'entente', 'une en-\ntente cordiale', true],
    ['a lone letter never joins across a space', 'Iran', 'I ran home', false],
    ['a lone letter never joins across a hyphen', 'email', 'un e-mail', false],
    ['a stop word never joins across a space', 'ouest', 'où est-il ?', false],
    ['a stop word never joins across a hyphen', 'visa', 'vis-à-vis', false],
    ['a stop word never joins: en jeu', 'enjeu', 'les intérêts en jeu', false],
    ['a stop word never joins: to go', 'Togo', 'where to go', false],
    ['a spaced dash is punctuation, not a hyphen', 'Pyongyang', 'Pyong - Yang', false],
    ['two hyphens are not one', 'Pyongyang', 'Pyong--Yang', false],
    ['an apostrophe never joins', 'Pyongyang', "Pyong'Yang", false],
    ['two parts only, never three', 'Kimjongun', 'Kim-Jong-Un', false],
    ['case: true keeps the case of the joined word', { term: 'Pyongyang', aliases: [], case: true }, 'à Pyong-Yang', false],
  ];
  for (const [form, term, text, expected] of cases) {
    it(`${form}: ${JSON.stringify(text)} ${expected ? 'matches' : 'does not match'}`, () => assert.equal(matches(term, text), expected));
  }
});

describe('the same forms in rules, NEAR, title:, highlights, watchlist test and search', () => {
  const rules = (query: string, fields: MatchFields) => matchItem(fields, compileWatchlist(watchlist([], { rules: [{ name: null, query }] }))).matched;

  it('NEAR counts words, not lines or markup', () => {
    assert.equal(rules('accord NEAR/1 défense', summary('accord de\ndéfense')), true);
    assert.equal(rules('accord NEAR/1 défense', summary('accord <b>de</b> <i>la</i> défense')), false, 'two words between');
    assert.equal(rules('Pyongyang NEAR/1 accord', summary("Pyong-Yang, l'accord")), true);
    assert.equal(rules('Pyongyang NEAR/1 accord', summary('Pyong-Yang a signé un accord')), false);
  });

  it('NEAR: a word hyphenated at a line end counts once', () => {
    assert.equal(rules('accord NEAR/2 défense', summary('accord inter-\nnational de défense')), true);
    assert.equal(rules('accord NEAR/2 défense', summary('accord inter national de défense')), false);
  });

  it('title: sees the forms in the title only', () => {
    const query = 'title:Pyongyang AND accord de défense';
    assert.equal(rules(query, { title: 'Visite à Pyong-Yang', summary: "l'accord de\ndéfense", content: '' }), true);
    assert.equal(rules(query, { title: 'Visite', summary: "Pyong-Yang: l'accord de\ndéfense", content: '' }), false);
    assert.equal(rules('title:"Corée du Nord"', { title: 'La Corée du\nNord', summary: '', content: '' }), true);
  });

  it('highlights point into the original text, markup and line breaks included; the variant is one line', () => {
    const text = "Hier, l'accord de<br>défense, et Pyong-\nYang.";
    const result = matchItem(summary(text), compileWatchlist(watchlist(['accord de défense', 'Pyongyang'])));
    assert.deepEqual(
      result.terms.map((t) => [t.term, t.variant, t.offsets.summary!.map(([s, e]) => text.slice(s, e))]),
      [
        ['accord de défense', 'accord de<br>défense', ['accord de<br>défense']],
        ['Pyongyang', 'Pyong- Yang', ['Pyong-\nYang']],
      ],
    );
  });

  it('watchlist test reports the match and highlights it in the snippet', () => {
    const report = testWatchlist(watchlist(['accord de défense', 'Sergueï Lavrov']), { title: '', summary: '', content: "Selon Sergueï\nLavrov, l'accord de\ndéfense tient." }, 'the given text');
    assert.equal(report.matched, true);
    assert.deepEqual(
      report.terms.map((t) => t.term),
      ['accord de défense', 'Sergueï Lavrov'],
    );
    const [occurrence] = report.terms[0]!.occurrences;
    const [start, end] = occurrence!.highlights[0]!;
    assert.equal(occurrence!.snippet.slice(start, end), 'accord de défense', 'the snippet is one line');
  });

  it('the search pre-filter lets a word written in two parts through', () => {
    const parsed = parseQuery('Pyongyang');
    assert.ok(parsed.ok);
    const fts = toFts5Query(toTextPrefilter(parsed.query)!);
    assert.match(fts, /"pyongya"\*/);
    assert.match(fts, /\("pyong" AND "ya"\*\)/);
  });

  // The pre-filter must never drop an item the matcher would keep: every form above, stored as the
  // feed stage stores it (htmlToText), is found by the term's own search, on both stores.
  for (const backend of STORE_BACKENDS) {
    it(`the search pre-filter on ${backend.name} finds every form matching finds`, { skip: backend.skip }, async (t) => {
      const store = await openTestStore(t, backend);
      const items = FORMS.map(([, , yes], n) => makeItem(n + 1, { title: `Dépêche ${n + 1}`, summary: htmlToText(yes) }));
      await store.saveFetch(okRecord(), items);
      for (const [n, [form, term]] of FORMS.entries()) {
        const item = items[n]!;
        assert.equal(matches(term, item.summary), true, `${form}: the stored text still matches`);
        const parsed = parseQuery(term);
        assert.ok(parsed.ok);
        const filter = toTextPrefilter(parsed.query);
        assert.notEqual(filter, null, `${form}: ${JSON.stringify(term)} is pre-filtered`);
        const found = await store.searchItems(filter, { limit: 100 });
        assert.ok(found.length < items.length, `${form}: the search for ${JSON.stringify(term)} filters`);
        assert.ok(
          found.some((i) => i.id === item.id),
          `${form}: ${JSON.stringify(item.summary)} found by the search for ${JSON.stringify(term)}`,
        );
      }
    });
  }

  it('the tokenizer says which gaps join', () => {
    const joins = (text: string) =>
      tokenizeText(text)
        .map((t) => t.joinBefore)
        .slice(1);
    assert.deepEqual(joins('a b-c d-\ne f<b>g</b> h, i'), ['words', 'words', 'words', 'always', 'words', 'always', 'words', 'never']);
    assert.deepEqual(joins('a. b\n\nc - d'), ['never', 'never', 'never']);
  });
});

describe('property: gaps never hide a term, breaks always stop it', () => {
  // Seeds: test/helpers/fast-check-seed.ts (fixed under CI, FC_SEED to replay).
  // Term words alternate consonant and vowel; context words never do (they hold an h or end
  // in a consonant), so no context word, alone or joined to a neighbour, can be a term word.
  const syllable = fc.tuple(fc.constantFrom(...'bdfgklmnprstvz'), fc.constantFrom(...'aeiouéèôï')).map(([c, v]) => c + v);
  const termWord = fc
    .array(syllable, { minLength: 2, maxLength: 4 })
    .map((s) => s.join(''))
    .filter((w) => !isStopWord(w));
  const context = fc.array(fc.constantFrom('hier', 'selon', 'Moscou', 'chez', 'wagon', 'le', 'et'), { maxLength: 4 });
  const caseOf = fc.constantFrom('as is', 'upper', 'title');

  /** Between the words of a phrase: white space of every kind, inline markup, <br>, soft hyphens, hyphens. */
  const GAPS = [
    ' ',
    '\n',
    '\r\n',
    '\t',
    '\u00a0',
    '\u202f',
    '\u2009',
    '\u3000',
    ' \n  ',
    '<b> </b>',
    ' <span class="x">',
    '</em> ',
    '<a href="/u"> ',
    '<br>',
    '<br/>\n',
    ' \u00ad',
    '\u00ad\n',
    '-',
    '\u2011',
    '\u2013',
    '\u2212',
    '\uff0d',
    '-\n',
    '\u2010\r\n',
  ];
  /** Inside a word, joining any two parts: line-end hyphenation, soft hyphens, markup with no space. */
  const ALWAYS_SPLITS = ['-\n', '\u2011\n', '\u00ad', '\u00ad\n', '<b></b>', '</i><i>', '-<br>'];
  /** Inside a word, joining two real parts (two letters or more, no stop word). */
  const WORD_SPLITS = [' ', '\n', '\u00a0', '-', '\u2010', '\ufe63', '<br>', ' <em>'];
  /** Never bridged: sentence ends and paragraph breaks. */
  const BREAKS = ['. ', '! ', '?\n', '…\u00a0', '; ', ': ', '.» ', '\n\n', '\n \n', '\r\n\r\n', '\u2029', '</p><p>', '</li><li>', '<br><br>', '</td><td>', '<h2>'];
  /** Inside a word, neither: punctuation keeps two parts apart too. */
  const INSIDE_BREAKS = [...BREAKS, ', ', "'", '/', ' - '];

  interface Case {
    term: string[];
    /** Where the text splits a word of the term: [word, at, what], or null. */
    split: [number, number, string] | null;
    gaps: string[];
    before: string[];
    after: string[];
    letterCase: string;
  }

  const spelled = (word: string, letterCase: string) => (letterCase === 'upper' ? word.toUpperCase() : letterCase === 'title' ? word[0]!.toUpperCase() + word.slice(1) : word);
  function textOf(c: Case): string {
    const words = c.term.map((w, i) => {
      const word = spelled(w, c.letterCase);
      if (!c.split || c.split[0] !== i) return word;
      const [, at, what] = c.split;
      return word.slice(0, at) + what + (c.letterCase === 'title' ? word[at]!.toUpperCase() : word[at]!) + word.slice(at + 1);
    });
    return [...c.before, words.reduce((text, w, i) => text + c.gaps[i - 1]! + w), ...c.after].join(' ');
  }
  const isFound = (c: Case, text: string) => matchItem(summary(text), compileWatchlist(watchlist([c.term.join(' ')]))).matched;

  /** A term, a split of one of its words (or none) and a gap of `gaps` between each pair of words. */
  const caseArb = (gaps: string[], splits: (word: string) => fc.Arbitrary<[number, string] | null>) =>
    fc.array(termWord, { minLength: 1, maxLength: 3 }).chain((term) =>
      fc.record({
        term: fc.constant(term),
        split: fc.oneof(
          fc.constant(null),
          fc.nat(term.length - 1).chain((i) => splits(term[i]!).map((s): [number, number, string] | null => (s ? [i, s[0], s[1]] : null))),
        ),
        gaps: fc.array(fc.constantFrom(...gaps), { minLength: term.length - 1, maxLength: term.length - 1 }),
        before: context,
        after: context,
        letterCase: caseOf,
      }),
    );
  const joiningSplit = (word: string): fc.Arbitrary<[number, string] | null> =>
    fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: word.length - 1 }), fc.constantFrom(...ALWAYS_SPLITS)),
      fc
        .tuple(fc.integer({ min: 2, max: word.length - 2 }), fc.constantFrom(...WORD_SPLITS))
        .map(([at, what]): [number, string] | null => (isStopWord(word.slice(0, at)) || isStopWord(word.slice(at)) ? null : [at, what])),
    );

  it('any gap between the words, and a joining split inside one, still matches, as text and as feed HTML', () => {
    fc.assert(
      fc.property(caseArb(GAPS, joiningSplit), (c) => {
        const text = textOf(c);
        assert.ok(isFound(c, text), `${JSON.stringify(c.term.join(' '))} not found in ${JSON.stringify(text)}`);
        const html = `<p>${text}</p>`;
        assert.ok(isFound(c, htmlToText(html)), `${JSON.stringify(c.term.join(' '))} not found in ${JSON.stringify(html)} as ${JSON.stringify(htmlToText(html))}`);
      }),
      { numRuns: 400 },
    );
  });

  it('a sentence end or a paragraph break between two words, or punctuation inside a word, no longer matches', () => {
    const breakingCase = fc
      .tuple(
        caseArb(GAPS, () => fc.constant(null)),
        fc.constantFrom(...BREAKS),
        fc.constantFrom(...INSIDE_BREAKS),
        fc.nat(),
      )
      .map(([c, between, inside, n]): Case => {
        // Two words or more: break between two of them; one word: cut it in two.
        if (c.term.length > 1) return { ...c, gaps: c.gaps.map((g, i) => (i === n % c.gaps.length ? between : g)) };
        const word = c.term[0]!;
        return { ...c, split: [0, 1 + (n % (word.length - 1)), inside] };
      });
    fc.assert(
      fc.property(breakingCase, (c) => {
        if (c.split) {
          // A part that is itself a form of the word matches as itself (bababe → babab, babase → baba).
          const [, at] = c.split;
          const word = c.term[0]!;
          fc.pre(!isFound(c, word.slice(0, at)) && !isFound(c, word.slice(at)));
        }
        const text = textOf(c);
        assert.ok(!isFound(c, text), `${JSON.stringify(c.term.join(' '))} found in ${JSON.stringify(text)}`);
        assert.ok(!isFound(c, htmlToText(`<p>${text}</p>`)), `${JSON.stringify(c.term.join(' '))} found in ${JSON.stringify(htmlToText(`<p>${text}</p>`))}`);
      }),
      { numRuns: 400 },
    );
  });
});

describe('property: a word is found whatever its first letters are written with', () => {
  // Matching looks a text word up only when its first three letters may start a term (its lead,
  // read from the characters before folding): whatever the spelling of those letters, a word whose
  // forms equal the term's must be found, and one whose forms differ must not.
  const VARIANTS = [
    ['a', 'A', 'à', 'À', 'á', 'â', 'ä', 'Ä', 'ª'],
    ['e', 'E', 'é', 'É', 'è', 'ê', 'ë', 'e\u0301'],
    ['o', 'O', 'ô', 'ö', 'Ö', 'ŏ', 'ø', 'Ø', 'º'],
    ['i', 'I', 'î', 'ï', 'İ', 'ı'],
    ['oe', 'œ', 'Œ', 'OE'],
    ['ss', 'ß', 'SS'],
    ['fi', 'ﬁ', 'FI'],
    ['s', 'S', 'ſ'],
    ['n', 'N', 'ñ', 'ŉ'],
    ['l', 'L', 'ł', 'Ł'],
    ['2', '²', '２'],
    ['σ', 'Σ', 'ς'],
    ['α', 'Α', 'ά', 'Ά'],
    ['и', 'И', 'й', 'Й', 'и\u0306'],
    ['е', 'Е', 'ё', 'Ё'],
    ['ᄑ', '펴', 'ᅧ'],
    ['r', 'R'],
    ['t', 'T'],
  ];
  const letter = fc.constantFrom(...VARIANTS.keys());
  const spell = fc.constantFrom(...VARIANTS.keys()).chain((v) => fc.constantFrom(...VARIANTS[v]!));
  // Endings an inflection changes (chev-al, chev-aux; v-if, v-ive), and a soft hyphen, so keys are compared too.
  const termEnding = fc.constantFrom('', '', 'al', 'if', 'en', 'e');
  const textEnding = fc.constantFrom('', '', 's', 'e', 'es', 'aux', 'ive', 'enne', '\u00ad', 'ом', '에서');
  const spelling = (letters: number[]) => fc.tuple(...letters.map((v) => fc.constantFrom(...VARIANTS[v]!))).map((parts) => parts.join(''));
  const wordCase = fc.array(letter, { minLength: 1, maxLength: 5 }).chain((letters) =>
    fc.record({
      term: fc.tuple(spelling(letters), termEnding).map(([w, e]) => w + e),
      // The same letters spelled another way, or other letters: found or not by their forms.
      text: fc
        .tuple(
          fc.oneof(
            spelling(letters),
            fc.array(spell, { minLength: 1, maxLength: 5 }).map((s) => s.join('')),
          ),
          textEnding,
        )
        .map(([w, e]) => w + e),
      options: fc.constantFrom<Partial<Keyword>>({}, { inflect: false }, { exact: true }, { case: true }, { exact: true, case: true }),
    }),
  );
  const KIND = (o: Partial<Keyword>) => (o.exact && o.case ? 'exact' : o.exact ? 'lower' : o.case ? 'cased' : o.inflect === false ? 'fold' : 'key');

  it('a keyword of one word matches a text word exactly when their forms are equal', () => {
    fc.assert(
      fc.property(wordCase, ({ term, text: word, options }) => {
        const termTokens = tokenizeText(term);
        const textTokens = tokenizeText(word);
        fc.pre(termTokens.length === 1 && textTokens.length === 1);
        const kind = KIND(options);
        const expected = termTokens[0]!.forms[kind] === textTokens[0]!.forms[kind];
        for (const context of [word, `« ${word} »`, `${word}<b></b>`]) {
          assert.equal(matches({ term, aliases: [], ...options }, context), expected, `${JSON.stringify(term)} (${kind}) in ${JSON.stringify(context)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a prefix matches every text word whose fold starts with it', () => {
    fc.assert(
      fc.property(wordCase, ({ term, text: word }) => {
        const termTokens = tokenizeText(term);
        const textTokens = tokenizeText(word);
        // A prefix has two letters at least, as written.
        fc.pre(termTokens.length === 1 && textTokens.length === 1 && [...term.normalize('NFC')].length >= 2);
        const expected = textTokens[0]!.forms.fold.startsWith(termTokens[0]!.forms.fold);
        const rule = watchlist([], { rules: [{ name: 'p', query: `${term}*` }] });
        assert.equal(matchItem(summary(`« ${word} »`), compileWatchlist(rule)).matched, expected, `${JSON.stringify(term)}* in ${JSON.stringify(word)}`);
      }),
      { numRuns: 1000 },
    );
  });
});
