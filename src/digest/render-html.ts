import { describeMatches, describeScope, describeSearchCounts, type Digest, type Story } from './digest.js';
import { escapeHtml, safeHref } from './safe-text.js';

/**
 * One self-contained HTML file, readable on a phone. Every piece of feed text
 * is escaped (never parsed as markup), links are http(s) only, and a Content
 * Security Policy forbids scripts even if something slipped through.
 */
export function renderHtml(digest: Digest): string {
  const { counts } = digest;
  const when = digest.generatedAt.slice(0, 16).replace('T', ' ');
  const heading = digest.search ? `presswatch search — ${digest.search.query}` : `presswatch digest — ${when} UTC`;
  const summary = digest.search
    ? `${describeSearchCounts(digest.search, counts.stories)} (${describeScope(digest)})`
    : `${counts.feedsChecked} feeds checked, ${counts.feedsFailed} failed, ${counts.newItems} new items, ${counts.stories} matching stories (${describeScope(digest)})`;
  // A search has no watchlist to group by: one section of its stories.
  const searchSection = `<section>\n${digest.stories.length ? digest.stories.map(renderStory).join('\n') : '<p class="none">Nothing stored matches.</p>'}\n</section>`;
  const sections = digest.search ? [searchSection] : digest.watchlists.map((watchlist) => {
    const stories = digest.stories.filter((s) => s.watchlist === watchlist);
    const body = stories.length ? stories.map(renderStory).join('\n') : '<p class="none">Nothing new matched.</p>';
    return `<section><h2>${escapeHtml(watchlist)} <span class="count">(${stories.length})</span></h2>\n${body}\n</section>`;
  });
  const failed = digest.feeds.filter((f) => f.status === 'error');
  const failures = failed.length
    ? `<section class="failed"><h2>Feeds that failed (${failed.length})</h2><ul>${failed
        .map((f) => `<li>${escapeHtml(f.label ?? f.url)}: ${escapeHtml(f.error ?? 'unknown error')}</li>`)
        .join('')}</ul></section>`
    : '';
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(heading)}</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
article{margin:1.2rem 0}h3{font-size:1.05rem;margin:0 0 .2rem}a{color:#0645ad}
.meta{color:#555;font-size:.9rem}.terms{color:#7a1f7a}.snippet{margin:.3rem 0 0}.also{font-size:.9rem;color:#555}
mark{background:#fff3a0;padding:0 .1em}.summary,.none{color:#555}.failed li{color:#8a4b00}.count{color:#777;font-weight:normal}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}a{color:#8ab4f8}.meta,.also,.summary,.none{color:#aaa}mark{background:#665c00;color:#fff}}
</style>
</head>
<body>
<header><h1>${escapeHtml(heading)}</h1>
<p class="summary">${escapeHtml(summary)}</p></header>
${sections.join('\n')}
${failures}
</body>
</html>
`;
}

function renderStory(story: Story): string {
  const href = safeHref(story.url);
  const title = escapeHtml(story.title);
  const heading = href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${title}</a>` : title;
  const date = story.publishedAt ? story.publishedAt.slice(0, 16).replace('T', ' ') : 'undated';
  const terms = escapeHtml(describeMatches(story));
  const score = story.score !== undefined ? ` · score ${story.score.toFixed(2)}` : '';
  const also = story.alsoReportedBy?.length
    ? `<p class="also">Also in: ${story.alsoReportedBy
        .map((o) => {
          const link = safeHref(o.url);
          return link ? `<a href="${escapeHtml(link)}" rel="noopener noreferrer nofollow">${escapeHtml(o.source)}</a>` : escapeHtml(o.source);
        })
        .join(', ')}</p>`
    : '';
  const snippet = story.snippet ? `<p class="snippet">${highlight(story.snippet, story.highlights)}</p>` : '';
  return `<article><h3>${heading}</h3><div class="meta">${escapeHtml(story.source)} · ${date}${score} · <span class="terms">${terms}</span></div>${snippet}${also}</article>`;
}

function highlight(snippet: string, spans: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += `${escapeHtml(snippet.slice(at, start))}<mark>${escapeHtml(snippet.slice(start, end))}</mark>`;
    at = end;
  }
  return out + escapeHtml(snippet.slice(at));
}
