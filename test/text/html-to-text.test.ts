import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
