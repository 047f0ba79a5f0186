import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inflectionKey, wordStartsOfKey } from '../../src/match/inflect.js';
import { foldAccents, normalizeTerm, normalizeText, tokenizeText } from '../../src/match/normalize.js';

describe('normalizeTerm: one normalisation for text and terms', () => {
  const same: [string, string, string][] = [
    ['accents', 'défense', 'defense'],
    ['case', 'DÉFENSE', 'défense'],
    ['NFKC ligatures and full-width', 'ﬁnance Ｐｙｏｎｇｙａｎｇ', 'finance pyongyang'],
    ['breve and umlaut', 'Pjöngjang Wŏnsan', 'pjongjang wonsan'],
    ['œ spelled out', 'Œuvre', 'oeuvre'],
    ['typographic apostrophes', 'l’accord l‘accord lʼaccord', "l'accord l'accord l'accord"],
    ['hyphens and dashes', 'Corée-du‑Nord — Séoul', 'corée du nord séoul'],
    ['whitespace and line breaks', '  Kim\n\tJong\u00a0Un ', 'kim jong un'],
    ['soft hyphen inside a word', 'dé\u00adfense', 'defense'],
  ];
  for (const [rule, a, b] of same) it(`folds ${rule}`, () => assert.equal(normalizeTerm(a), normalizeTerm(b)));

  it('keeps distinct words distinct (precision)', () => {
    assert.notEqual(normalizeTerm('désaccord'), normalizeTerm('accord'));
    assert.notEqual(normalizeTerm('Coréen'), normalizeTerm('Corée'));
    assert.equal(normalizeTerm('Corée-du-Nord'), 'coree du nord');
  });

  it('leaves Hangul composed and Cyrillic readable', () => {
    assert.equal(normalizeTerm('평양'), '평양');
    assert.equal(normalizeTerm('Пхеньян'), 'пхеньян');
  });
});

describe('tokenizeText', () => {
  it('splits French elision into its own word, with offsets into the source', () => {
    const text = "jusqu’à l'accord";
    const tokens = tokenizeText(text);
    assert.deepEqual(
      tokens.map((t) => t.forms.fold),
      ['jusqu', 'a', 'l', 'accord'],
    );
    assert.equal(text.slice(tokens[3]!.start, tokens[3]!.end), 'accord');
  });

  it('reads a character reference as its character, offsets covering the reference', () => {
    const text = 'la d&eacute;fense';
    const [, word] = tokenizeText(text);
    assert.equal(word!.forms.fold, 'defense');
    assert.equal(text.slice(word!.start, word!.end), 'd&eacute;fense');
  });

  it('never reads markup: tag names, attributes and URLs are not words', () => {
    const words = tokenizeText('<a class="accord" href="https://ex.org/pyongyang">Wonsan</a>').map((t) => t.forms.fold);
    assert.deepEqual(words, ['wonsan']);
  });

  it('a plain "<" in prose is not taken for a tag', () => {
    assert.deepEqual(
      tokenizeText('a < b et c > d').map((t) => t.forms.fold),
      ['a', 'b', 'et', 'c', 'd'],
    );
  });

  it('marks sentence ends and paragraph breaks, but not line breaks, abbreviations or plain spaces', () => {
    const breaks = (text: string) => tokenizeText(text).map((t) => t.breakBefore);
    assert.deepEqual(breaks('Corée. Du'), [false, true]);
    assert.deepEqual(breaks('Corée.» Du'), [false, true]);
    assert.deepEqual(breaks('Corée\n\ndu'), [false, true]);
    assert.deepEqual(breaks('Corée\ndu'), [false, false]);
    assert.deepEqual(breaks('Corée du'), [false, false]);
    assert.deepEqual(breaks('U.S. Navy'), [false, false, true]);
    assert.deepEqual(breaks('U.S'), [false, false]);
  });

  it('offsets always slice the source to the word (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', 'É', ' ', '-', '’', "'", '<', '>', '&', ';', 'e', '\u0301', '평', 'ж', '\n', '.', 'ﬁ') }), (text) => {
        for (const t of tokenizeText(text)) {
          assert.ok(t.start >= 0 && t.end <= text.length && t.start < t.end);
          assert.match(text.slice(t.start, t.end), /[\p{L}\p{N}]/u);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('normalizeTerm is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => assert.equal(normalizeTerm(normalizeTerm(text)), normalizeTerm(text))),
      { numRuns: 300 },
    );
  });
});

describe('normalizeText', () => {
  it('maps every output character back into the source', () => {
    const source = 'L’Œuvre de Pyongyang';
    const { text, map } = normalizeText(source);
    assert.equal(text, 'l oeuvre de pyongyang');
    assert.equal(map.length, text.length);
    assert.equal(source[map[text.indexOf('pyongyang')]!], 'P');
  });
});

describe('inflectionKey (light French inflection)', () => {
  const key = (w: string) => foldAccents(inflectionKey(w));
  const groups = [
    ['liaison', 'liaisons'],
    ['aérien', 'aérienne', 'aériens', 'aériennes', 'AERIENNES'.toLowerCase()],
    ['accord', 'accords'],
    ['officiel', 'officielle', 'officiels', 'officielles'],
    ['étranger', 'étrangère', 'étrangères'],
    ['offensif', 'offensive', 'offensives'],
    ['fédéral', 'fédérale', 'fédéraux'],
    ['dangereux', 'dangereuse', 'dangereuses'],
    ['français', 'française', 'françaises'],
    ['nouveau', 'nouveaux'],
    ['corée', 'corées', 'coree'],
  ];
  for (const group of groups) it(`${group.join(' = ')}`, () => assert.equal(new Set(group.map(key)).size, 1));

  const apart: [string, string][] = [
    ['accord', 'désaccord'],
    ['accord', 'accordé'],
    ['pyongyang', 'pyongyangais'],
    ['de', 'des'],
    ['coréen', 'corée'],
  ];
  for (const [a, b] of apart) it(`${a} ≠ ${b}`, () => assert.notEqual(key(a), key(b)));

  it("property: a word is one of its key's starts followed by one of its endings (what the lead filter lets through)", () => {
    const stem = fc.array(fc.constantFrom('a', 'b', 'd', 'é', 'è', 'i', 'l', 'n', 'o', 'r', 's', 't', 'u', 'v', 'x', 'e'), { minLength: 1, maxLength: 7 }).map((l) => l.join(''));
    const latinEnding = fc.constantFrom(
      '',
      's',
      'x',
      'e',
      'es',
      'al',
      'aux',
      'eaux',
      'eux',
      'oux',
      'enne',
      'ennes',
      'onne',
      'elle',
      'elles',
      'ette',
      'ettes',
      'ère',
      'ères',
      'euse',
      'euses',
      'ive',
      'ives',
      'ise',
      'ises',
      'ss',
      'sse',
    );
    const word = fc.oneof(
      fc.tuple(stem, latinEnding).map(([a, b]) => a + b),
      fc
        .tuple(fc.array(fc.constantFrom('п', 'х', 'е', 'н', 'ь', 'я', 'л', 'а', 'в', 'р', 'о', 'й'), { minLength: 1, maxLength: 7 }), fc.constantFrom('', 'ами', 'ого', 'ой', 'ей', 'ая', 'а', 'у', 'й'))
        .map(([a, b]) => a.join('') + b),
    );
    fc.assert(
      fc.property(word, (w) => {
        const fold = foldAccents(w);
        const { starts, whole, endings } = wordStartsOfKey(foldAccents(inflectionKey(w)));
        const found = whole ? starts.includes(fold) : starts.some((start) => endings.some((ending) => foldAccents(start) + foldAccents(ending) === fold));
        assert.ok(found, `${w}: ${JSON.stringify({ starts, whole })}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('drops one Russian case ending and one Korean particle', () => {
    assert.equal(inflectionKey('пхеньяне'), inflectionKey('пхеньян'));
    assert.equal(inflectionKey('лаврова'), inflectionKey('лавров'));
    assert.equal(inflectionKey('평양에서'), inflectionKey('평양'));
    assert.equal(inflectionKey('원산의'), '원산');
  });
});
