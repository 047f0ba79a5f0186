/**
 * The limit baseline: the least any Node feed reader must do. Plain `fetch` of
 * every feed at a fixed concurrency and a fast streaming XML parse (htmlparser2
 * in XML mode, counting items and reading their titles); nothing is stored but
 * the validators, so that a warm run can send If-None-Match like a real reader.
 *
 *   node --import tsx bench/limit.ts --urls FILE --concurrency N [--validators FILE]
 *
 * prints one JSON line: { workMs, feeds, items, notModified, failed }. `workMs`
 * runs from the first request to the last parse, so the tsx loader that starts
 * this script is not counted; run.ts adds a bare `node` start-up instead.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Parser } from 'htmlparser2';

export interface LimitResult {
  workMs: number;
  feeds: number;
  items: number;
  notModified: number;
  failed: number;
}

/** Fetches and parses every URL; `validators` (URL → ETag) is read and updated in place. */
export async function runLimit(urls: readonly string[], concurrency: number, validators: Map<string, string>): Promise<LimitResult> {
  const started = performance.now();
  let items = 0;
  let notModified = 0;
  let failed = 0;
  let next = 0;
  const lane = async () => {
    while (next < urls.length) {
      const url = urls[next++]!;
      try {
        const etag = validators.get(url);
        const response = await fetch(url, etag ? { headers: { 'if-none-match': etag } } : {});
        if (response.status === 304) {
          notModified++;
          continue;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const bytes = new Uint8Array(await response.arrayBuffer());
        items += countItems(new TextDecoder(charsetOf(response.headers.get('content-type'), bytes)).decode(bytes));
        const tag = response.headers.get('etag');
        if (tag) validators.set(url, tag);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, urls.length)) }, lane));
  return { workMs: performance.now() - started, feeds: urls.length, items, notModified, failed };
}

function charsetOf(contentType: string | null, bytes: Uint8Array): string {
  const header = /charset=([\w.:-]+)/i.exec(contentType ?? '');
  if (header) return header[1]!;
  const prolog = /encoding=["']([\w.:-]+)["']/.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 200)));
  return prolog?.[1] ?? 'utf-8';
}

/** Items (RSS <item>, Atom <entry>) with a title, read in one streaming pass. */
function countItems(xml: string): number {
  let count = 0;
  let inTitle = false;
  let title = '';
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        else if (name === 'item' || name === 'entry') title = '';
      },
      ontext(text) {
        if (inTitle) title += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        else if (name === 'item' || name === 'entry') {
          if (title) count++;
          title = '';
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml);
  return count;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { values } = parseArgs({ options: { urls: { type: 'string' }, concurrency: { type: 'string', default: '8' }, validators: { type: 'string' } } });
  if (!values.urls) throw new Error('limit: --urls FILE is required');
  const urls = (await readFile(values.urls, 'utf8')).split('\n').filter(Boolean);
  const known = values.validators
    ? await readFile(values.validators, 'utf8').then(
        (t) => JSON.parse(t) as Record<string, string>,
        (): Record<string, string> => ({}),
      )
    : {};
  const validators = new Map<string, string>(Object.entries(known));
  const result = await runLimit(urls, Number(values.concurrency), validators);
  if (values.validators) await writeFile(values.validators, JSON.stringify(Object.fromEntries(validators)));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
