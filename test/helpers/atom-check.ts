/**
 * RFC 4287 checks on an Atom document, walked on htmlparser2's XML tree (a
 * parser independent of rss-parser's xml2js). Returns the problems found.
 */
import { parseDocument } from 'htmlparser2';

interface El {
  type: string;
  name: string;
  attribs: Record<string, string>;
  children: El[];
  data?: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const ABSOLUTE_IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

const elements = (el: El) => el.children.filter((c) => c.type === 'tag');
const named = (el: El, name: string) => elements(el).filter((c) => c.name === name);
const textOf = (el: El): string => el.children.map((c) => (c.type === 'text' || c.type === 'cdata' ? (c.data ?? textOf(c)) : c.type === 'tag' ? textOf(c) : '')).join('');

export function checkAtom(xml: string): string[] {
  const problems: string[] = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')) problems.push('no XML declaration with utf-8');
  const doc = parseDocument(xml, { xmlMode: true }) as unknown as El;
  const roots = elements(doc);
  const feed = roots[0];
  if (roots.length !== 1 || !feed || feed.name !== 'feed') return ['the root element is not a single atom:feed'];
  if (feed.attribs['xmlns'] !== 'http://www.w3.org/2005/Atom') problems.push('feed: not in the Atom namespace');
  const exactlyOne = (el: El, name: string, where: string) => {
    const n = named(el, name).length;
    if (n !== 1) problems.push(`${where}: ${n} atom:${name} elements, RFC 4287 requires exactly one`);
  };
  const checkDate = (el: El, name: string, where: string) => {
    for (const d of named(el, name)) if (!RFC3339.test(textOf(d).trim())) problems.push(`${where}: atom:${name} "${textOf(d)}" is not an RFC 3339 date`);
  };
  const checkPersons = (el: El, where: string) => {
    for (const a of named(el, 'author')) if (named(a, 'name').length !== 1 || !textOf(named(a, 'name')[0]!).trim()) problems.push(`${where}: atom:author without one non-empty atom:name`);
  };
  const checkId = (el: El, where: string): string | null => {
    const id = named(el, 'id')[0];
    if (!id) return null;
    const value = textOf(id).trim();
    if (!ABSOLUTE_IRI.test(value)) problems.push(`${where}: atom:id "${value}" is not an absolute IRI`);
    return value;
  };
  const checkLinks = (el: El, where: string) => {
    for (const l of named(el, 'link')) if (!l.attribs['href']) problems.push(`${where}: atom:link without href`);
    const alternates = named(el, 'link').filter((l) => (l.attribs['rel'] ?? 'alternate') === 'alternate');
    const pairs = alternates.map((l) => `${l.attribs['type'] ?? ''}|${l.attribs['hreflang'] ?? ''}`);
    if (new Set(pairs).size !== pairs.length) problems.push(`${where}: two alternate links with the same type and hreflang`);
  };
  const checkText = (el: El, name: string, where: string) => {
    for (const t of named(el, name)) {
      const type = t.attribs['type'] ?? 'text';
      if (!['text', 'html', 'xhtml'].includes(type)) problems.push(`${where}: atom:${name} type="${type}"`);
      if (type !== 'xhtml' && elements(t).length > 0) problems.push(`${where}: atom:${name} of type ${type} holds child elements`);
    }
  };

  for (const name of ['id', 'title', 'updated']) exactlyOne(feed, name, 'feed');
  checkId(feed, 'feed');
  checkDate(feed, 'updated', 'feed');
  checkPersons(feed, 'feed');
  checkLinks(feed, 'feed');
  checkText(feed, 'title', 'feed');
  checkText(feed, 'subtitle', 'feed');
  const entries = named(feed, 'entry');
  const feedHasAuthor = named(feed, 'author').length > 0;
  const ids = new Set<string>();
  entries.forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    for (const name of ['id', 'title', 'updated']) exactlyOne(entry, name, where);
    const id = checkId(entry, where);
    if (id !== null) {
      if (ids.has(id)) problems.push(`${where}: atom:id ${id} repeated`);
      ids.add(id);
    }
    for (const name of ['updated', 'published']) checkDate(entry, name, where);
    if (!feedHasAuthor && named(entry, 'author').length === 0) problems.push(`${where}: no atom:author and the feed has none`);
    checkPersons(entry, where);
    checkLinks(entry, where);
    for (const name of ['title', 'summary', 'content']) checkText(entry, name, where);
    if (named(entry, 'content').length > 1) problems.push(`${where}: more than one atom:content`);
    if (named(entry, 'content').length === 0 && !named(entry, 'link').some((l) => (l.attribs['rel'] ?? 'alternate') === 'alternate')) {
      problems.push(`${where}: neither atom:content nor an alternate atom:link`);
    }
  });
  return problems;
}
