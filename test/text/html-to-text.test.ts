import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { collapseWhitespace, htmlToText } from '../../src/text/html-to-text.js';

describe('htmlToText: inline markup, line breaks and block boundaries stay apart', () => {
  const cases: [string, string, string][] = [
    ['inline markup leaves nothing', "l'<b>accord</b> de <a href='/x'>défense</a>", "l'accord de défense"],
    ['inline markup inside a word', 'Pyong<span>yang</span>', 'Pyongyang'],
    ['<br> is a line break', "l'accord de<br>défense", "l'accord de\ndéfense"],
    ['<br> and the source line break after it are one line break', "l'accord de<br />\n  défense", "l'accord de\ndéfense"],
    ['a line break in the text stays a line break', '<p>Corée du\nNord</p>', 'Corée du\nNord'],
    ['CR LF is one line break', 'Corée du\r\nNord', 'Corée du\nNord'],
    ['two <br> are a paragraph break', 'accord<br><br>défense', 'accord\n\ndéfense'],
    ['paragraphs', '<p>accord</p><p>défense</p>', 'accord\n\ndéfense'],
    ['list items', '<ul><li>accord</li><li>défense</li></ul>', 'accord\n\ndéfense'],
    ['headings', '<h2>Corée du</h2>Nord', 'Corée du\n\nNord'],
    ['table cells', '<table><tr><td>Corée</td><td>du Nord</td></tr></table>', 'Corée\n\ndu Nord'],
    ['a blank line', 'Corée\n\n du Nord', 'Corée\n\ndu Nord'],
    ['spaces of every width fold to one', 'Kim\u00a0Jong\u202fun\u2009et\tLavrov', 'Kim Jong un et Lavrov'],
    ['a soft hyphen where the line breaks is the hyphen a reader sees', 'inter\u00ad\nnational, inter\u00ad<br>national', 'inter-\nnational, inter-\nnational'],
    ['soft hyphens and zero-width spaces go (they sit inside words)', 'dé\u00adfense Pyong\u200byang', 'défense Pyongyang'],
  ];
  for (const [rule, html, text] of cases) it(`${rule}: ${JSON.stringify(html)}`, () => assert.equal(htmlToText(html), text));

  it('collapseWhitespace keeps the same two strengths for plain text', () => {
    assert.equal(collapseWhitespace('  a \n b \n\n\n c\u2029d\u2028e  '), 'a\nb\n\nc\n\nd\ne');
  });
});

describe('collapseWhitespace: one scan that reads as the rules in its comment', () => {
  // The rules written the long way, as regular expressions applied one after another: the oracle.
  const LINE = '\u2028';
  const PARAGRAPH = '\u2029';
  const countOf = (text: string, ch: string) => text.split(ch).length - 1;
  const byRules = (text: string) =>
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\u00ad+([^\S\n\u2028\u2029]*[\n\u2028])/g, '-$1')
      .replace(/[\u00ad\u200b]/g, '')
      .replace(/\s+/g, (run) => {
        if (run.includes(PARAGRAPH)) return '\n\n';
        const breaks = countOf(run, LINE);
        const newlines = countOf(run, '\n');
        if (breaks >= 2 || newlines >= 2) return '\n\n';
        return breaks + newlines > 0 ? '\n' : ' ';
      })
      .trim();

  it('agrees with the rules on any mix of words, spaces, breaks and invisible characters', () => {
    const pieces = ['a', 'é', 'mot', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u2009', '\u3000', '\ufeff', LINE, PARAGRAPH, '\u00ad', '\u200b', '-', '\v'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        assert.equal(collapseWhitespace(text), byRules(text), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('cases the rules single out', () => {
    for (const text of ['', ' ', 'x', ' x ', 'a \u00ad\nb', '\u00ad\nx', 'x\u00ad', 'x \u200b', 'x \u200b y', 'a\u00ad\u200b\nb', 'a\u00ad \u2029b', 'a\n\rb', 'a\r\nb', 'a\u00ad\u00ad \r\nb'])
      assert.equal(collapseWhitespace(text), byRules(text), JSON.stringify(text));
  });
});
