import { describeMatches, describeScope, describeSearchCounts, type Digest, type Story } from './digest.js';
import { escapeHtml, safeHref } from './safe-text.js';

export interface HtmlOptions {
  /**
   * `page` (default): a web page with one style sheet (and a dark theme).
   * `mail`: the same markup with every style written on its element, which is
   * what mail clients render (many drop a <style> sheet).
   */
  styles?: 'page' | 'mail';
}

// The look of each element in mail: the page's style sheet below, written per element.
const MAIL_STYLE: Record<string, string> = {
  body: 'font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1a1a1a;background:#fff',
  h1: 'font-size:1.4rem;margin:.5rem 0',
  h2: 'font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem',
  article: 'margin:1.2rem 0',
  h3: 'font-size:1.05rem;margin:0 0 .2rem',
  a: 'color:#0645ad',
  meta: 'color:#555;font-size:.9rem',
  terms: 'color:#7a1f7a',
  snippet: 'margin:.3rem 0 0',
  also: 'font-size:.9rem;color:#555',
  mark: 'background:#fff3a0;padding:0 .1em',
  summary: 'color:#555',
  none: 'color:#555',
  failed: 'color:#8a4b00',
  count: 'color:#777;font-weight:normal',
};

/** The attribute that styles an element: its class on a page, its style in mail. */
type Styler = (tag: string, className?: string) => string;

const pageStyler: Styler = (_tag, className) => (className ? ` class="${className}"` : '');
const mailStyler: Styler = (tag, className) => {
  const style = [MAIL_STYLE[tag], className ? MAIL_STYLE[className] : undefined].filter(Boolean).join(';');
  return style ? ` style="${escapeHtml(style)}"` : '';
};

/**
 * One self-contained HTML file, readable on a phone. Every piece of feed text
 * is escaped (never parsed as markup), links are http(s) only, and a Content
 * Security Policy forbids scripts even if something slipped through. Nothing
 * remote is loaded: no image, font or style sheet.
 */
export function renderHtml(digest: Digest, options: HtmlOptions = {}): string {
  const mail = options.styles === 'mail';
  const s = mail ? mailStyler : pageStyler;
  const story = (item: Story) => renderStoryHtml(item, s);
  const { counts } = digest;
  const when = digest.generatedAt.slice(0, 16).replace('T', ' ');
  const heading = digest.search ? `presswatch search — ${digest.search.query}` : `presswatch digest — ${when} UTC`;
  const summary = digest.search
    ? `${describeSearchCounts(digest.search, counts.stories)} (${describeScope(digest)})`
    : `${counts.feedsChecked} feeds checked, ${counts.feedsFailed} failed, ${counts.newItems} new items, ${counts.stories} matching stories (${describeScope(digest)})`;
  // A search has no watchlist to group by: one section of its stories.
  const searchSection = `<section>\n${digest.stories.length ? digest.stories.map(story).join('\n') : `<p${s('p', 'none')}>Nothing stored matches.</p>`}\n</section>`;
  const sections = digest.search
    ? [searchSection]
    : digest.watchlists.map((watchlist) => {
        const stories = digest.stories.filter((x) => x.watchlist === watchlist);
        const body = stories.length ? stories.map(story).join('\n') : `<p${s('p', 'none')}>Nothing new matched.</p>`;
        return `<section><h2${s('h2')}>${escapeHtml(watchlist)} <span${s('span', 'count')}>(${stories.length})</span></h2>\n${body}\n</section>`;
      });
  const failed = digest.feeds.filter((f) => f.status === 'error');
  const failures = failed.length
    ? `<section${mail ? '' : ' class="failed"'}><h2${s('h2')}>Feeds that failed (${failed.length})</h2><ul>${failed
        .map((f) => `<li${mail ? s('li', 'failed') : ''}>${escapeHtml(f.label ?? f.url)}: ${escapeHtml(f.error ?? 'unknown error')}</li>`)
        .join('')}</ul></section>`
    : '';
  const sheet = mail
    ? ''
    : `<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
article{margin:1.2rem 0}h3{font-size:1.05rem;margin:0 0 .2rem}a{color:#0645ad}
.meta{color:#555;font-size:.9rem}.terms{color:#7a1f7a}.snippet{margin:.3rem 0 0}.also{font-size:.9rem;color:#555}
mark{background:#fff3a0;padding:0 .1em}.summary,.none{color:#555}.failed li{color:#8a4b00}.count{color:#777;font-weight:normal}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}a{color:#8ab4f8}.meta,.also,.summary,.none{color:#aaa}mark{background:#665c00;color:#fff}}
</style>
`;
  // Mail clients drop <body> attributes: the page's body style goes on a wrapper instead.
  const [open, close] = mail ? [`<body>\n<div${s('body')}>`, '</div>\n</body>'] : ['<body>', '</body>'];
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(heading)}</title>
${sheet}</head>
${open}
<header><h1${s('h1')}>${escapeHtml(heading)}</h1>
<p${s('p', 'summary')}>${escapeHtml(summary)}</p></header>
${sections.join('\n')}
${failures}
${close}
</html>
`;
}

/** One story as an HTML fragment (also the content of an Atom entry). */
export function renderStoryHtml(story: Story, s: Styler = pageStyler): string {
  const link = (href: string, text: string) => `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow"${s('a')}>${text}</a>`;
  const href = safeHref(story.url);
  const title = escapeHtml(story.title);
  const heading = href ? link(href, title) : title;
  const date = story.publishedAt ? story.publishedAt.slice(0, 16).replace('T', ' ') : 'undated';
  const terms = escapeHtml(describeMatches(story));
  const score = story.score !== undefined ? ` · score ${story.score.toFixed(2)}` : '';
  const also = story.alsoReportedBy?.length
    ? `<p${s('p', 'also')}>Also in: ${story.alsoReportedBy
        .map((o) => {
          const other = safeHref(o.url);
          return other ? link(other, escapeHtml(o.source)) : escapeHtml(o.source);
        })
        .join(', ')}</p>`
    : '';
  const snippet = story.snippet ? `<p${s('p', 'snippet')}>${highlight(story.snippet, story.highlights, s)}</p>` : '';
  return `<article${s('article')}><h3${s('h3')}>${heading}</h3><div${s('div', 'meta')}>${escapeHtml(story.source)} · ${date}${score} · <span${s('span', 'terms')}>${terms}</span></div>${snippet}${also}</article>`;
}

function highlight(snippet: string, spans: [number, number][], s: Styler): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += `${escapeHtml(snippet.slice(at, start))}<mark${s('mark')}>${escapeHtml(snippet.slice(start, end))}</mark>`;
    at = end;
  }
  return out + escapeHtml(snippet.slice(at));
}
