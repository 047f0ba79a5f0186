import { FeedParseError } from '../feed/feed-parse-error.js';
import type { ParsedFeed } from '../feed/parse-feed.js';
import { TaskThread, THREAD_WORTH_CHARS } from '../io/task-thread.js';

export interface ParseTask {
  text: string;
  feedUrl: string;
}

/**
 * Feeds are parsed (XML, then HTML to text) on a thread of their own: a cold refresh is
 * mostly parsing and storing, and the main thread stores while the next feeds are read.
 * The heap is capped (a feed is 15 MiB at most by default, its parse tree a few times
 * that); a feed that does not fit is parsed on the main thread.
 */
const thread = new TaskThread<ParseTask, ParsedFeed>(new URL('./parse-worker.js', import.meta.url), ({ text, feedUrl }) => parseFeedHere(text, feedUrl), {
  heapMb: 96,
  startAfter: { work: THREAD_WORTH_CHARS, weigh: (task) => task.text.length },
  reviveError: (failure) => (failure.name === 'FeedParseError' ? new FeedParseError(failure.message) : new Error(failure.message)),
});

export function parseFeedOffThread(text: string, feedUrl: string): Promise<ParsedFeed> {
  return thread.run({ text, feedUrl });
}

/** The feed parser (rss-parser, htmlparser2: about 80 ms to load) on this thread, loaded only when needed. */
async function parseFeedHere(text: string, feedUrl: string): Promise<ParsedFeed> {
  const { parseFeed } = await import('../feed/parse-feed.js');
  return parseFeed(text, feedUrl);
}
