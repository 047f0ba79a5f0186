import { describeMatches, describeScope, describeSearchCounts, type Digest, type Story } from './digest.js';
import { escapeMarkdown, safeHref } from './safe-text.js';

/** A Markdown digest: every piece of feed text escaped, links only when http(s). */
export function renderMarkdown(digest: Digest): string {
  const out: string[] = [];
  const { counts } = digest;
  if (digest.search) {
    out.push(`# presswatch search — ${escapeMarkdown(digest.search.query)}`, '');
    out.push(`${describeSearchCounts(digest.search, counts.stories)} (${describeScope(digest)})`);
    if (digest.stories.length === 0) out.push('', '_Nothing stored matches._');
    for (const story of digest.stories) out.push('', ...renderStory(story));
    return `${out.join('\n')}\n`;
  }
  out.push(`# presswatch digest — ${digest.generatedAt.slice(0, 16).replace('T', ' ')} UTC`, '');
  out.push(`${counts.feedsChecked} feeds checked, ${counts.feedsFailed} failed, ${counts.newItems} new items, ${counts.stories} matching stories` + ` (${describeScope(digest)})`);
  for (const watchlist of digest.watchlists) {
    const stories = digest.stories.filter((s) => s.watchlist === watchlist);
    out.push('', `## ${escapeMarkdown(watchlist)} (${stories.length})`);
    if (stories.length === 0) out.push('', '_Nothing new matched._');
    for (const story of stories) out.push('', ...renderStory(story));
  }
  const failed = digest.feeds.filter((f) => f.status === 'error');
  if (failed.length > 0) {
    out.push('', `## Feeds that failed (${failed.length})`, '');
    for (const f of failed) out.push(`- ${escapeMarkdown(f.label ?? f.url)}: ${escapeMarkdown(f.error ?? 'unknown error')}`);
  }
  return `${out.join('\n')}\n`;
}

function renderStory(story: Story): string[] {
  const href = safeHref(story.url);
  const title = escapeMarkdown(story.title);
  const lines = [`### ${href ? `[${title}](<${href.replace(/[<>]/g, encodeURIComponent)}>)` : title}`, ''];
  const date = story.publishedAt ? story.publishedAt.slice(0, 16).replace('T', ' ') : 'undated';
  const terms = escapeMarkdown(describeMatches(story));
  lines.push(`*${escapeMarkdown(story.source)}* · ${date}${story.score !== undefined ? ` · score ${story.score.toFixed(2)}` : ''} · ${terms}`);
  if (story.snippet) lines.push('', `> ${highlight(story.snippet, story.highlights)}`);
  if (story.alsoReportedBy?.length) {
    lines.push(
      '',
      `Also in: ${story.alsoReportedBy
        .map((o) => {
          const link = safeHref(o.url);
          const name = escapeMarkdown(o.source);
          return link ? `[${name}](<${link.replace(/[<>]/g, encodeURIComponent)}>)` : name;
        })
        .join(', ')}`,
    );
  }
  return lines;
}

function highlight(snippet: string, spans: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += `${escapeMarkdown(snippet.slice(at, start))}**${escapeMarkdown(snippet.slice(start, end))}**`;
    at = end;
  }
  return out + escapeMarkdown(snippet.slice(at));
}
