/**
 * OPML, the subscription list every feed reader imports and exports. Pure:
 * text in, feeds out, and back.
 *
 * Reading: every `<outline>` with an `xmlUrl` is a feed, whatever its `type`
 * (readers disagree on `rss`/`atom`/none); its label is `text`, else `title`;
 * the outlines without `xmlUrl` around it are folders, joined with "/" into its
 * category. A document with a DTD or entity declarations is refused (no entity
 * expansion, no external fetch); only the five XML entities and character
 * references are decoded.
 *
 * Writing: OPML 2.0, one nested `<outline>` per category level, each feed as
 * `<outline type="rss" text title xmlUrl/>`. OPML requires `text`, so a feed
 * without a label gets its URL there, and reading gives back no label for it.
 */
import { Parser } from 'htmlparser2';
import { escapeXml } from '../digest/safe-text.js';

export interface OpmlFeed {
  url: string;
  label: string | null;
  /** Folder path, "/"-separated ("News/Asia"), when the feed sits in folders. */
  category?: string;
}

export interface OpmlDocument {
  title: string | null;
  feeds: OpmlFeed[];
}

export class OpmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpmlError';
  }
}

interface OutlineFrame {
  /** The folder name when this outline is a folder (no xmlUrl), else null. */
  folder: string | null;
}

export function parseOpml(xml: string): OpmlDocument {
  const declaration = /<!(DOCTYPE|ENTITY)\b/i.exec(xml);
  if (declaration) throw new OpmlError(`refused: the document declares <!${declaration[1]!.toUpperCase()}> (DTDs and entities are not read, for safety)`);

  let root: string | null = null;
  let inHead = false;
  let inTitle = false;
  let title: string | null = null;
  let titleText = '';
  const stack: OutlineFrame[] = [];
  const feeds: OpmlFeed[] = [];

  const parser = new Parser(
    {
      onopentag(rawName, rawAttributes) {
        const name = rawName.toLowerCase();
        if (root === null) {
          root = name;
          if (name !== 'opml') throw new OpmlError(`not an OPML document: the root element is <${rawName}>, expected <opml>`);
          return;
        }
        if (name === 'head') inHead = true;
        else if (name === 'title' && inHead && stack.length === 0) {
          inTitle = true;
          titleText = '';
        } else if (name === 'outline') {
          const attributes = lowerCaseKeys(rawAttributes);
          const url = attributes['xmlurl']?.trim();
          const text = (attributes['text'] ?? attributes['title'] ?? '').trim();
          if (url) {
            const folders = stack.map((f) => f.folder).filter((f): f is string => f !== null);
            const category = folders.length > 0 ? folders.join('/') : categoryAttribute(attributes['category']);
            feeds.push({ url, label: text && text !== url ? text : null, ...(category ? { category } : {}) });
            stack.push({ folder: null });
          } else stack.push({ folder: text || null });
        }
      },
      ontext(text) {
        if (inTitle) titleText += text;
      },
      onclosetag(rawName) {
        const name = rawName.toLowerCase();
        if (name === 'head') inHead = false;
        else if (name === 'title' && inTitle) {
          inTitle = false;
          title = titleText.trim() || null;
        } else if (name === 'outline') stack.pop();
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  if (root === null) throw new OpmlError('not an OPML document: no <opml> element found');
  return { title, feeds };
}

/** OPML 2.0 for the feeds, folders from their categories in the order they first appear. */
export function renderOpml(title: string, feeds: readonly OpmlFeed[], options: { now?: Date } = {}): string {
  interface Folder {
    name: string;
    children: (Folder | OpmlFeed)[];
  }
  const top: Folder = { name: '', children: [] };
  for (const feed of feeds) {
    let folder = top;
    for (const part of (feed.category ?? '')
      .split('/')
      .map((p) => p.trim())
      .filter(Boolean)) {
      let next = folder.children.find((c): c is Folder => 'children' in c && c.name === part);
      if (!next) {
        next = { name: part, children: [] };
        folder.children.push(next);
      }
      folder = next;
    }
    folder.children.push(feed);
  }

  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', '  <head>', `    <title>${escapeXml(title)}</title>`];
  if (options.now) lines.push(`    <dateCreated>${options.now.toUTCString()}</dateCreated>`);
  lines.push('  </head>', '  <body>');
  const emit = (folder: Folder, depth: number) => {
    const pad = '  '.repeat(depth);
    for (const child of folder.children) {
      if ('children' in child) {
        lines.push(`${pad}<outline text="${escapeXml(child.name)}" title="${escapeXml(child.name)}">`);
        emit(child, depth + 1);
        lines.push(`${pad}</outline>`);
      } else {
        const text = escapeXml(child.label ?? child.url);
        lines.push(`${pad}<outline type="rss" text="${text}" title="${text}" xmlUrl="${escapeXml(child.url)}"/>`);
      }
    }
  };
  emit(top, 2);
  lines.push('  </body>', '</opml>');
  return `${lines.join('\n')}\n`;
}

function lowerCaseKeys(attributes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) out[k.toLowerCase()] = v;
  return out;
}

/** OPML 2.0 `category="/News/Asia,/Other"`: the first path, without its leading slash. */
function categoryAttribute(value: string | undefined): string | undefined {
  const first = value
    ?.split(',')[0]
    ?.trim()
    .replace(/^\/+|\/+$/g, '');
  return first || undefined;
}
