import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatQuery, parseQuery } from '../../src/match/parse-query.js';

describe('parseQuery: valid queries', () => {
  const valid: [string, string][] = [
    ['Pyongyang', 'Pyongyang'],
    ['Corée du Nord', 'Corée du Nord'],
    ['a OR b AND c', '(a OR (b AND c))'],
    ['(a OR b) AND c', '((a OR b) AND c)'],
    ['a AND NOT b', '(a AND NOT b)'],
    ['NOT b AND a', '(NOT b AND a)'],
    ['accord NEAR/5 défense', '(accord NEAR/5 défense)'],
    ['a NEAR/2 b AND c', '((a NEAR/2 b) AND c)'],
    ['a NEAR/2 b NEAR/3 c', '((a NEAR/2 b) NEAR/3 c)'],
    ['(a OR b) NEAR/4 "c d"', '((a OR b) NEAR/4 "c d")'],
    ['title:accord', 'title:accord'],
    ['TITLE:(a OR b)', 'title:(a OR b)'],
    ['title: Corée du Nord AND summary:"Kim Jong Un"', '(title:Corée du Nord AND summary:"Kim Jong Un")'],
    ['aérien* AND liaison', '(aérien* AND liaison)'],
    ["l'accord or et ou", "l'accord or et ou"],
    ['«accord de défense»', '"accord de défense"'],
  ];
  for (const [query, canonical] of valid) {
    it(query, () => {
      const parsed = parseQuery(query);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
      assert.equal(formatQuery(parsed.query), canonical);
    });
  }

  it('a phrase leaf keeps its position for messages', () => {
    const parsed = parseQuery('a AND  Corée du Nord');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.query.type === 'and' && parsed.query.children[1], { type: 'phrase', text: 'Corée du Nord', quoted: false, field: null, position: 7 });
  });
});

describe('parseQuery: errors give the position and what was expected', () => {
  const invalid: [string, number, RegExp][] = [
    ['', 0, /a word, a "quoted phrase"/],
    ['accord NEAR défense', 7, /NEAR\/n with a number/],
    ['accord NEAR/0 défense', 7, /NEAR\/n with a number of words from 1/],
    ['a AND', 5, /a word/],
    ['a AND (b OR c', 13, /"\)" to close the "\(" at column 7/],
    ['a OR b)', 6, /this "\)" closes nothing/],
    ['()', 1, /inside the parentheses/],
    ['a "b c"', 2, /an operator/],
    ['(a) b', 4, /an operator/],
    ['"accord de', 0, /a closing "/],
    ['aé*rien', 2, /only at the end of a word/],
    ['a* OR b', 0, /at least 2 letters before \*/],
    ['"aérien*"', 7, /no \* inside quotes/],
    ['NOT football', 0, /outside NOT/],
    ['a OR NOT b', 0, /outside NOT/],
    ['a NEAR/3 NOT b', 9, /after NEAR/],
    ['(a AND NOT b) NEAR/3 c', 14, /without NOT \(the group before it/],
    ['title:', 6, /a word/],
    ['title:summary:a', 6, /after the field name/],
    ['a AND ,;', 6, /a word \(letters or digits\)/],
  ];
  for (const [query, position, expected] of invalid) {
    it(`${JSON.stringify(query)} → column ${position + 1}`, () => {
      const parsed = parseQuery(query);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.equal(parsed.error.position, position, parsed.error.message);
      assert.match(parsed.error.expected, expected);
      assert.match(parsed.error.message, new RegExp(`^at column ${position + 1}: expected `));
      // The caret line points at the character.
      const lines = parsed.error.message.split('\n');
      assert.equal(lines[2]!.indexOf('^') - 4, position);
    });
  }
});
