import type { Digest, Story } from './digest.js';
import { toTerminalLine, toTerminalSafe } from './safe-text.js';

/**
 * The digest with escape sequences, controls and bidi overrides removed from
 * every piece of feed text, highlights kept on the same words (pure). The JSON
 * digest on stdout keeps the data as the feed gave it, escaped; a digest sent
 * to another program (a webhook) carries none of it.
 */
export function cleanDigest(digest: Digest): Digest {
  return {
    ...digest,
    stories: digest.stories.map(cleanStory),
    feeds: digest.feeds.map((f) => ({ ...f, label: f.label === null ? null : toTerminalLine(f.label), error: f.error === null ? null : toTerminalLine(f.error) })),
  };
}

function cleanStory(story: Story): Story {
  const { snippet, highlights } = cleanSnippet(story.snippet, story.highlights);
  return {
    ...story,
    title: toTerminalLine(story.title),
    source: toTerminalLine(story.source),
    matches: story.matches.map((m) => ({ ...m, term: toTerminalLine(m.term), variant: toTerminalLine(m.variant) })),
    snippet,
    highlights,
    ...(story.alsoReportedBy ? { alsoReportedBy: story.alsoReportedBy.map((o) => ({ ...o, title: toTerminalLine(o.title), source: toTerminalLine(o.source) })) } : {}),
  };
}

/** Cleans the text between and inside highlights separately, so each highlight still covers its words. */
function cleanSnippet(snippet: string, spans: readonly [number, number][]): { snippet: string; highlights: [number, number][] } {
  let out = '';
  let at = 0;
  const highlights: [number, number][] = [];
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += toTerminalSafe(snippet.slice(at, start));
    const inside = toTerminalSafe(snippet.slice(start, end));
    highlights.push([out.length, out.length + inside.length]);
    out += inside;
    at = end;
  }
  return { snippet: out + toTerminalSafe(snippet.slice(at)), highlights };
}
