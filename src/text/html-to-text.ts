import { Parser } from 'htmlparser2';
import { isBlockElement } from './block-elements.js';

// Elements whose text is never reader-visible prose.
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object']);

// Stand-ins while the text is assembled: a <br>, and a block boundary. Unicode's own
// line and paragraph separators, so text that already carries them reads the same.
// Whoever renders HTML another way (the article extractor) marks the text with them too
// and lets collapseWhitespace decide, so every page reads as a feed's HTML does.
export const LINE = '\u2028';
export const PARAGRAPH = '\u2029';

/**
 * Turns an HTML fragment (a feed summary, an item's content) into plain text:
 * tags dropped, entities decoded, runs of spaces folded, and the layout kept in
 * two strengths that matching tells apart (docs/watchlists.md):
 *
 *   - a line break ("\n"): a <br>, or a line break in the text. Inline markup
 *     (<b>, <a>, <span>…) leaves nothing, as on the screen.
 *   - a paragraph break ("\n\n"): a block boundary (</p><p>, a list item, a
 *     heading, a table cell), two <br> in a row, or a blank line.
 *
 * Soft hyphens go, except where the line breaks: there they are the hyphen a
 * reader sees.
 *
 * Attribute values never reach the text, so a URL or class name cannot be matched.
 */
export function htmlToText(html: string): string {
  if (!html) return '';
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  const out: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipDepth++;
        else if (name === 'br') out.push(LINE);
        else if (isBlockElement(name)) out.push(PARAGRAPH);
      },
      ontext(text) {
        if (skipDepth === 0) out.push(text);
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (isBlockElement(name)) out.push(PARAGRAPH);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return collapseWhitespace(out.join(''));
}

// A soft hyphen where the line breaks is the hyphen a reader sees there (inter-⏎national).
const SOFT_HYPHEN_AT_LINE_END = /\u00ad+([^\S\n\u2028\u2029]*[\n\u2028])/g;
// Elsewhere, soft hyphens and zero-width spaces are invisible hints that sit inside words,
// and the full-text index would read them as letters of the word.
const INVISIBLE = /[\u00ad\u200b]/g;
const SPACE_RUN = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000\u2028\u2029]+/g;

/**
 * Folds each run of white space to one space, one line break ("\n") or one
 * paragraph break ("\n\n"), and trims. A run is a paragraph break when it holds a
 * paragraph separator, two <br> (line separators), or a blank line; a line break
 * when it holds one <br> or one line break: a <br> followed by the source's own
 * line break is still one line, as on the screen.
 */
export function collapseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(SOFT_HYPHEN_AT_LINE_END, '-$1')
    .replace(INVISIBLE, '')
    .replace(SPACE_RUN, (run) => {
      if (run === ' ') return ' ';
      if (run.includes(PARAGRAPH)) return '\n\n';
      const breaks = countOf(run, LINE);
      const newlines = countOf(run, '\n');
      if (breaks >= 2 || newlines >= 2) return '\n\n';
      return breaks + newlines > 0 ? '\n' : ' ';
    })
    .trim();
}

function countOf(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}
