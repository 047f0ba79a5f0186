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

/**
 * Folds each run of white space to one space, one line break ("\n") or one
 * paragraph break ("\n\n"), and trims. A run is a paragraph break when it holds a
 * paragraph separator, two <br> (line separators), or a blank line; a line break
 * when it holds one <br> or one line break: a <br> followed by the source's own
 * line break is still one line, as on the screen. CR LF and a lone CR are one
 * line break.
 *
 * Soft hyphens and zero-width spaces are invisible hints that sit inside words
 * (the full-text index would read them as letters of the word): they go, and a
 * run of white space goes on through them. A soft hyphen where the line breaks
 * (after it, only spaces up to a line break or <br>) is the hyphen a reader sees
 * there (inter-⏎national) and becomes "-".
 *
 * One scan over the text: on a full-content corpus the four regular expressions
 * this replaces were the largest cost of reading an item (docs/benchmarks.md).
 */
export function collapseWhitespace(text: string): string {
  const n = text.length;
  let out = '';
  let literalStart = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isWordCharacter(c)) {
      i++;
      continue;
    }
    // The usual run, one space between two words, is its own result: it stays in the slice.
    if (c === 0x20 && i > literalStart && i + 1 < n && isWordCharacter(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    out += text.slice(literalStart, i);
    // A run: white space, and the invisible characters inside it.
    let spaces = false;
    let paragraph = false;
    let lines = 0;
    let newlines = 0;
    let hyphen = false;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d === SOFT_HYPHEN) {
        let j = i + 1;
        while (j < n && text.charCodeAt(j) === SOFT_HYPHEN) j++;
        if (isBeforeLineBreak(text, j)) {
          hyphen = true;
          i = j;
          break;
        }
        i = j - 1;
      } else if (d === ZERO_WIDTH_SPACE) {
        // invisible: the run goes on
      } else if (!isSpace(d)) {
        break;
      } else {
        spaces = true;
        if (d === 0x0a) newlines++;
        else if (d === 0x0d) {
          newlines++;
          if (text.charCodeAt(i + 1) === 0x0a) i++;
        } else if (d === LINE_CODE) lines++;
        else if (d === PARAGRAPH_CODE) paragraph = true;
      }
    }
    // Leading and trailing runs are trimmed.
    if (spaces && out !== '' && (i < n || hyphen)) out += paragraph || lines >= 2 || newlines >= 2 ? '\n\n' : lines + newlines > 0 ? '\n' : ' ';
    if (hyphen) out += '-';
    literalStart = i;
  }
  return literalStart === 0 ? text : out + text.slice(literalStart);
}

const SOFT_HYPHEN = 0xad;
const ZERO_WIDTH_SPACE = 0x200b;
const LINE_CODE = 0x2028;
const PARAGRAPH_CODE = 0x2029;

/** JavaScript's \s: what String.prototype.trim and /\s/ count as white space or a line terminator. */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === LINE_CODE || c === PARAGRAPH_CODE || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isWordCharacter(c: number): boolean {
  return !isSpace(c) && c !== SOFT_HYPHEN && c !== ZERO_WIDTH_SPACE;
}

/** Only spaces (no paragraph separator) between `at` and a line break or <br>. */
function isBeforeLineBreak(text: string, at: number): boolean {
  for (let k = at; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x0a || c === 0x0d || c === LINE_CODE) return true;
    if (c === PARAGRAPH_CODE || !isSpace(c)) return false;
  }
  return false;
}
