/**
 * The content-scoring extractor: finds the element that holds the article's prose
 * and renders it as paragraphs. The method is Readability's (score the text blocks,
 * credit their ancestors, pick the best, add its worthy siblings), plus a cleaning
 * pass that drops boilerplate inside the chosen element by link density, class and
 * id hints and shape (share bars, related lists, captions, bylines), and a fallback
 * that relaxes the up-front removals when the first attempt finds almost nothing.
 * Nothing here knows a particular site.
 */
import type { AnyNode, Element } from 'domhandler';
import { collapseWhitespace, LINE, PARAGRAPH } from '../text/html-to-text.js';
import { attr, elementChildren, hasChildren, isElement, normalizeSpace, removeNode } from './dom.js';

/** Elements that never hold article prose. */
const DROP_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'canvas',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'nav',
  'aside',
  'footer',
  'link',
  'meta',
  'head',
  'title',
  'dialog',
  'menu',
  'audio',
  'video',
  'source',
  'picture',
  'img',
  'figure',
  'figcaption',
  'label',
  'header',
  'map',
]);

const INLINE = new Set([
  'a',
  'abbr',
  'acronym',
  'b',
  'bdi',
  'bdo',
  'big',
  'br',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'img',
  'ins',
  'kbd',
  'label',
  'mark',
  'nobr',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'wbr',
]);

// Class and id hints (Readability's lists, extended with the usual share/newsletter/recirculation names).
const UNLIKELY =
  /-ad-|(?:^|[-_ ])ads?(?:[-_ ]|$)|advert|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|share|sharing|newsletter|subscri|promo|recommend|outbrain|taboola|cookie|consent|modal|signup|toolbar|widget|trending|most-?popular|nav(?:bar|igation)?\b|byline|caption|credit|dateline|timestamp|author/i;
const MAYBE = /and|article|body|column|content|main|shadow/i;
const POSITIVE = /article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|paragraph/i;
const NEGATIVE =
  /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|byline|author|caption|credit|newsletter|subscri|recommend|more-|read-?more/i;

interface Stats {
  chars: number;
  linkChars: number;
  commas: number;
}

export interface ContentOptions {
  /** Remove elements whose class or id looks like boilerplate before scoring. */
  stripUnlikely: boolean;
}

/** Returns the article body as paragraphs (joined by blank lines), '' when nothing qualifies. */
/** What the metadata already says, so the body does not repeat it. */
export interface PageHints {
  title: string | null;
  author: string | null;
}

export function extractContent(root: AnyNode, options: ContentOptions, hints: PageHints): string {
  const body = findBody(root);
  prune(body, options);
  const candidates = scoreBlocks(body);
  const top = pickTop(body, candidates);
  if (!top) return '';
  const parts = gatherSiblings(top, candidates);
  for (const part of parts) cleanConditionally(part, candidates, top);
  return renderParagraphs(parts, hints.title)
    .filter((p) => !isBoilerplateParagraph(p, hints))
    .join('\n\n');
}

// Short lines that are page furniture in any article: ad slots, share prompts, comment counts.
const FURNITURE =
  /^(?:advert(?:isement|ising)?|publicit[éeà]|anzeige|werbung|publicidad|sponsored(?: content)?|story continues below|continue reading|read more|more|related(?: articles| stories| content)?|also read|see also|share(?: this(?: article| story)?)?|sharing is caring|comments?|\d+ comments?|leave a (?:comment|reply)|tell us what you think|like this story\?.*|follow us.*|sign up.*|subscribe.*|click here.*|this slideshow requires javascript|image|photo|video|getty images|loading)[.!:…]*$/i;

function isBoilerplateParagraph(paragraph: string, hints: PageHints): boolean {
  if (!/[\p{L}\p{N}]/u.test(paragraph)) return true; // separators: ____, ***, ---
  if (paragraph.length > 200) return false;
  if (FURNITURE.test(paragraph.trim())) return true;
  // Copyright and imprint lines.
  if (/(?:©|\([cC]\)|[cC]opyright)\s*(?:\d{4}|\p{Lu})|[aA]ll [rR]ights [rR]eserved/u.test(paragraph)) return true;
  // A byline repeated in the body ("By Jane Doe - 11/19/19 06:56 AM EST").
  if (paragraph.length < 120 && /^by\s+\p{Lu}/u.test(paragraph) && (hints.author === null || paragraph.includes(hints.author.split(',')[0]!.trim()) || /\d/.test(paragraph))) return true;
  if (hints.author && paragraph.trim() === hints.author) return true;
  return false;
}

function findBody(root: AnyNode): AnyNode {
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (isElement(node) && node.name === 'body') return node;
    if (hasChildren(node)) for (const child of node.children) if (isElement(child) && (child.name === 'html' || child.name === 'body')) stack.push(child);
  }
  return root;
}

function hintOf(el: Element): string {
  return `${attr(el, 'class')} ${attr(el, 'id')}`;
}

function isHidden(el: Element): boolean {
  if ('hidden' in el.attribs) return true;
  if (attr(el, 'aria-hidden') === 'true') return true;
  const style = attr(el, 'style');
  return style !== '' && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

/** Removes what can never be prose, and (first attempt) what is named like boilerplate. */
function prune(node: AnyNode, options: ContentOptions): void {
  if (!hasChildren(node)) return;
  for (const child of [...node.children]) {
    if (child.type === 'comment' || child.type === 'directive' || child.type === 'cdata') {
      removeNode(child);
      continue;
    }
    if (!isElement(child)) continue;
    if (DROP_TAGS.has(child.name) || isHidden(child)) {
      removeNode(child);
      continue;
    }
    if (options.stripUnlikely && child.name !== 'article' && child.name !== 'main' && child.name !== 'body') {
      const hint = hintOf(child);
      const role = attr(child, 'role');
      if ((hint.length > 1 && UNLIKELY.test(hint) && !MAYBE.test(hint)) || /^(?:navigation|complementary|banner|contentinfo|menu|menubar|dialog|alert)$/.test(role)) {
        removeNode(child);
        continue;
      }
    }
    prune(child, options);
  }
}

function classWeight(el: Element): number {
  let weight = 0;
  for (const value of [attr(el, 'class'), attr(el, 'id')]) {
    if (!value) continue;
    if (NEGATIVE.test(value)) weight -= 25;
    if (POSITIVE.test(value)) weight += 25;
  }
  return weight;
}

function baseScore(el: Element): number {
  switch (el.name) {
    case 'div':
    case 'article':
    case 'main':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

function isBlock(el: Element): boolean {
  return !INLINE.has(el.name);
}

/** Characters, link characters and commas of a subtree, with whitespace folded. */
export function measure(node: AnyNode, inLink = false, acc: Stats = { chars: 0, linkChars: 0, commas: 0 }): Stats {
  if (node.type === 'text') {
    const data = (node as unknown as { data: string }).data;
    const n = foldedLength(data);
    acc.chars += n;
    if (inLink) acc.linkChars += n;
    acc.commas += countCommas(data);
    return acc;
  }
  if (!hasChildren(node)) return acc;
  const link = inLink || (isElement(node) && node.name === 'a');
  for (const child of node.children) measure(child, link, acc);
  return acc;
}

function foldedLength(text: string): number {
  let n = 0;
  let space = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isSpace = c === 32 || c === 10 || c === 9 || c === 13 || c === 160 || c === 12;
    if (isSpace) {
      if (!space) n++;
      space = true;
    } else {
      n++;
      space = false;
    }
  }
  return n;
}

function countCommas(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 0xff0c || c === 0x3001 || c === 0x060c) n++;
  }
  return n;
}

/**
 * Scores each block's own inline text (the text not inside a nested block) and credits
 * its ancestors: the container in full, the next one half, further ones less.
 */
function scoreBlocks(body: AnyNode): Map<Element, number> {
  const scores = new Map<Element, number>();
  const credit = (el: Element, amount: number) => {
    if (!scores.has(el)) scores.set(el, baseScore(el) + classWeight(el));
    scores.set(el, scores.get(el)! + amount);
  };
  const visitBlock = (block: Element) => {
    const own: Stats = { chars: 0, linkChars: 0, commas: 0 };
    let nestedBlocks = false;
    const walk = (node: AnyNode, inLink: boolean) => {
      if (node.type === 'text') {
        measure(node, inLink, own);
        return;
      }
      if (!isElement(node)) return;
      if (isBlock(node)) {
        nestedBlocks = true;
        visitBlock(node);
        return;
      }
      const link = inLink || node.name === 'a';
      for (const child of node.children) walk(child, link);
    };
    for (const child of block.children) walk(child, false);
    if (own.chars < 25) return;
    if (own.linkChars / own.chars > 0.65) return;
    const score = 1 + own.commas + Math.min(Math.floor(own.chars / 100), 3);
    let target: AnyNode | null = nestedBlocks ? block : block.parent;
    for (let level = 0; level < 5 && target && isElement(target); level++) {
      credit(target, score / (level === 0 ? 1 : level === 1 ? 2 : level * 3));
      if (target.name === 'body') break;
      target = target.parent;
    }
  };
  if (isElement(body)) visitBlock(body);
  else if (hasChildren(body)) for (const child of body.children) if (isElement(child)) visitBlock(child);
  // Final score: discounted by how much of the candidate's text is links.
  for (const [el, score] of scores) {
    const s = measure(el);
    scores.set(el, s.chars ? score * (1 - s.linkChars / s.chars) : score);
  }
  return scores;
}

function pickTop(body: AnyNode, scores: Map<Element, number>): Element | null {
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  if (!ranked.length) return null;
  let [top, topScore] = ranked[0]!;

  // Several strong candidates under one ancestor: the article is that ancestor.
  const alternatives = ranked
    .slice(1, 5)
    .filter(([, s]) => s / topScore >= 0.75)
    .map(([el]) => el);
  if (alternatives.length >= 3) {
    let parent = top.parent;
    while (parent && isElement(parent) && parent !== body) {
      const p = parent;
      if (alternatives.filter((alt) => contains(p, alt)).length >= 3) {
        top = p;
        break;
      }
      parent = parent.parent;
    }
  }

  // Climb while the parent scores about as well (the text is split across siblings).
  let lastScore = scores.get(top) ?? topScore;
  const threshold = lastScore / 3;
  let parent = top.parent;
  while (parent && isElement(parent) && parent.name !== 'body') {
    const ps = scores.get(parent);
    if (ps === undefined) {
      parent = parent.parent;
      continue;
    }
    if (ps < threshold) break;
    if (ps > lastScore) {
      top = parent;
      break;
    }
    lastScore = ps;
    parent = parent.parent;
  }
  // A lone child wraps nothing worth separating.
  while (top.parent && isElement(top.parent) && top.parent.name !== 'body' && elementChildren(top.parent).length === 1) top = top.parent;
  return top;
}

function contains(ancestor: AnyNode, node: AnyNode): boolean {
  for (let n: AnyNode | null = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/** The top candidate plus siblings that score well or read like paragraphs. */
function gatherSiblings(top: Element, scores: Map<Element, number>): Element[] {
  const parent = top.parent;
  if (!parent || !isElement(parent)) return [top];
  const topScore = scores.get(top) ?? 0;
  const threshold = Math.max(10, topScore * 0.2);
  const out: Element[] = [];
  for (const sibling of elementChildren(parent)) {
    if (sibling === top) {
      out.push(sibling);
      continue;
    }
    let bonus = 0;
    if (attr(sibling, 'class') && attr(sibling, 'class') === attr(top, 'class')) bonus += topScore * 0.2;
    const score = scores.get(sibling);
    if (score !== undefined && score + bonus >= threshold) {
      out.push(sibling);
      continue;
    }
    if (sibling.name === 'p' || isPureParagraph(sibling)) {
      const s = measure(sibling);
      const density = s.chars ? s.linkChars / s.chars : 1;
      const text = s.chars < 80 ? normalizeSpace(textOfNode(sibling)) : '';
      if ((s.chars > 80 && density < 0.25) || (s.chars > 0 && s.chars <= 80 && density === 0 && /[.!?]["”’)]?$/.test(text))) out.push(sibling);
    }
  }
  return out;
}

/** A block whose children are all inline: Readability turns such a <div> into a <p>. */
function isPureParagraph(el: Element): boolean {
  if (el.name !== 'div' && el.name !== 'section') return false;
  for (const child of el.children) if (isElement(child) && isBlock(child)) return false;
  return true;
}

function textOfNode(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (!hasChildren(node)) return '';
  let s = '';
  for (const c of node.children) s += textOfNode(c);
  return s;
}

const CONDITIONAL = new Set(['div', 'section', 'ul', 'ol', 'table', 'dl', 'span', 'p', 'blockquote', 'li']);

/**
 * Readability's "clean conditionally": inside the chosen content, drops containers that
 * look like lists of links, short fragments, or blocks named like boilerplate.
 */
function cleanConditionally(node: Element, scores: Map<Element, number>, top: Element): void {
  for (const child of elementChildren(node)) {
    if (CONDITIONAL.has(child.name) && child !== top && shouldDrop(child, scores)) {
      removeNode(child);
      continue;
    }
    cleanConditionally(child, scores, top);
  }
}

function shouldDrop(el: Element, scores: Map<Element, number>): boolean {
  const weight = classWeight(el);
  if (weight + (scores.get(el) ?? 0) < 0 && UNLIKELY.test(hintOf(el))) return true;
  const s = measure(el);
  if (s.chars === 0) return false;
  const density = s.linkChars / s.chars;
  if (el.name === 'p' || el.name === 'li') return density > 0.5 && s.chars < 300;
  if (s.commas >= 10) return false;
  let paragraphs = 0;
  let items = 0;
  for (const d of elementChildren(el)) {
    if (d.name === 'p') paragraphs++;
    else if (d.name === 'li') items++;
  }
  const isList = el.name === 'ul' || el.name === 'ol';
  if (isList && density > 0.5) return true;
  if (!isList && items > paragraphs && density > 0.3) return true;
  if (weight < 25 && density > 0.35 && s.chars < 1000) return true;
  if (weight >= 25 && density > 0.5) return true;
  return false;
}

const HEADING = /^h[1-6]$/;

/**
 * Renders the chosen elements as paragraphs, read as htmlToText reads a feed's HTML
 * (collapseWhitespace): a block boundary, two <br> in a row or a blank line end a
 * paragraph; one <br> is a line break, with or without the source's own line break
 * after it, and stays inside the paragraph, so a phrase may run across it.
 */
function renderParagraphs(parts: Element[], title: string | null): string[] {
  const out: string[] = [];
  const normalizedTitle = title ? normalizeSpace(title).toLowerCase() : null;
  const walk = (node: AnyNode) => {
    if (node.type === 'text') {
      out.push((node as unknown as { data: string }).data);
      return;
    }
    if (!isElement(node)) return;
    if (node.name === 'br') {
      out.push(LINE);
      return;
    }
    if (HEADING.test(node.name)) {
      const text = normalizeSpace(textOfNode(node));
      // The page's own title is metadata, not body text.
      if (node.name === 'h1' || (normalizedTitle && text.toLowerCase() === normalizedTitle)) return;
    }
    const block = isBlock(node);
    if (block) out.push(PARAGRAPH);
    for (const child of node.children) walk(child);
    if (block) out.push(PARAGRAPH);
  };
  for (const part of parts) {
    walk(part);
    out.push(PARAGRAPH);
  }
  return collapseWhitespace(out.join('')).split('\n\n').filter(Boolean);
}
