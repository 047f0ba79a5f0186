/**
 * HTML elements that start and end a block: their boundaries are paragraph
 * breaks in plain text, and a phrase never runs across one. Everything else
 * (<b>, <a>, <span>, <em>…) is inline: it leaves nothing between the words.
 * <br> is neither: a line break inside a block.
 */
const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'option',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

/** True for an element whose boundaries are paragraph breaks; `name` in lower case. */
export function isBlockElement(name: string): boolean {
  return BLOCK_ELEMENTS.has(name);
}
