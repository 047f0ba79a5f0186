/** The feed parser's thread (feed-parser-thread.ts). */
import { parseFeed } from '../feed/parse-feed.js';
import { serveTasks } from '../io/task-thread.js';
import type { ParseTask } from './feed-parser-thread.js';

serveTasks(({ text, feedUrl }: ParseTask) => parseFeed(text, feedUrl));
