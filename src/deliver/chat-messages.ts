/**
 * The bodies a webhook receives, one builder per format (pure). A digest too
 * large for one chat message is split into several, each naming the stories it
 * carries, so that a failure halfway through re-sends only the rest.
 *
 * Feed text is plain text in every format, its escape sequences and controls
 * removed (also from the JSON document, see cleanDigest): Slack's mrkdwn control characters
 * (&, <, >) are entity-escaped, so a title cannot open a link or a <!channel>
 * mention; Markdown (Mattermost, Discord) is backslash-escaped; links are
 * http(s) only; Discord is told to ping nobody.
 */
import type { WebhookFormat } from '../config/destination.js';
import type { Digest, Story } from '../digest/digest.js';
import { cleanDigest } from '../digest/clean-digest.js';
import { renderJson } from '../digest/render-json.js';
import { escapeMarkdown, safeHref, toTerminalLine } from '../digest/safe-text.js';
import { headlineOf } from './destination.js';

export interface WebhookMessage {
  /** The request body (JSON text). */
  body: string;
  /** The stories this message carries. */
  storyIds: string[];
}

export function webhookMessages(digest: Digest, format: WebhookFormat): WebhookMessage[] {
  switch (format) {
    case 'json':
      return [{ body: renderJson(cleanDigest(digest)), storyIds: digest.stories.map((s) => s.id) }];
    case 'slack':
      return slackMessages(digest);
    case 'mattermost':
      return mattermostMessages(digest);
    case 'discord':
      return discordMessages(digest);
  }
}

// ---------------------------------------------------------------- Slack

/** Slack allows 50 blocks a message (a header and the stories), 3000 characters a section, 150 a header. */
const SLACK_STORIES_PER_MESSAGE = 45;
const SLACK_SECTION_CHARS = 3000;

function slackMessages(digest: Digest): WebhookMessage[] {
  const parts = chunk(digest.stories, SLACK_STORIES_PER_MESSAGE);
  return parts.map((stories, i) => {
    const headline = partHeadline(digest, i, parts.length);
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: truncate(headline, 150), emoji: false } },
      ...stories.map((story) => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(slackStory(story), SLACK_SECTION_CHARS) } })),
    ];
    return { body: JSON.stringify({ text: headline, blocks, unfurl_links: false, unfurl_media: false }), storyIds: stories.map((s) => s.id) };
  });
}

function slackStory(story: Story): string {
  const title = slackText(story.title);
  const href = safeHref(story.url);
  // In <url|text> a "|" or ">" in the URL would end it early.
  const heading = href ? `*<${href.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${title}>*` : `*${title}*`;
  return `${heading}\n${slackText(metaLine(story))}${story.snippet ? `\n${slackText(story.snippet)}` : ''}`;
}

/** https://api.slack.com/reference/surfaces/formatting#escaping */
function slackText(text: string): string {
  return toTerminalLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---------------------------------------------------------------- Mattermost

/** Mattermost: one attachment per story; a post holds at most 16383 characters of text. */
const MATTERMOST_STORIES_PER_MESSAGE = 20;
const MATTERMOST_CHARS = 15_000;

function mattermostMessages(digest: Digest): WebhookMessage[] {
  const attachmentOf = (story: Story) => {
    const href = safeHref(story.url);
    return {
      fallback: toTerminalLine(story.title),
      color: '#0645ad',
      // Attachment titles are plain text; the text below them is Markdown.
      title: truncate(toTerminalLine(story.title), 250),
      ...(href ? { title_link: href } : {}),
      text: truncate(`${escapeMarkdown(metaLine(story))}${story.snippet ? `\n${escapeMarkdown(story.snippet)}` : ''}`, 3000),
    };
  };
  const parts = chunkBySize(
    digest.stories.map((story) => ({ story, item: attachmentOf(story) })),
    MATTERMOST_STORIES_PER_MESSAGE,
    MATTERMOST_CHARS,
    (p) => JSON.stringify(p.item).length,
  );
  return parts.map((part, i) => ({
    body: JSON.stringify({ text: escapeMarkdown(partHeadline(digest, i, parts.length)), attachments: part.map((p) => p.item) }),
    storyIds: part.map((p) => p.story.id),
  }));
}

// ---------------------------------------------------------------- Discord

/** https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
const DISCORD_EMBEDS_PER_MESSAGE = 10;
const DISCORD_EMBED_CHARS_PER_MESSAGE = 6000;
const DISCORD_TITLE_CHARS = 256;
const DISCORD_DESCRIPTION_CHARS = 4096;

function discordMessages(digest: Digest): WebhookMessage[] {
  const embedOf = (story: Story) => {
    const href = safeHref(story.url);
    return {
      title: truncate(escapeMarkdown(story.title), DISCORD_TITLE_CHARS),
      ...(href ? { url: href } : {}),
      description: truncate(`${escapeMarkdown(metaLine(story))}${story.snippet ? `\n${escapeMarkdown(story.snippet)}` : ''}`, 1000),
      ...(story.publishedAt ? { timestamp: story.publishedAt } : {}),
    };
  };
  const sizeOf = (embed: { title: string; description: string }) => embed.title.length + embed.description.length;
  const parts = chunkBySize(
    digest.stories.map((story) => ({ story, item: embedOf(story) })),
    DISCORD_EMBEDS_PER_MESSAGE,
    DISCORD_EMBED_CHARS_PER_MESSAGE,
    (p) => sizeOf(p.item),
  );
  return parts.map((part, i) => ({
    body: JSON.stringify({
      content: truncate(escapeMarkdown(partHeadline(digest, i, parts.length)), 2000),
      embeds: part.map((p) => p.item),
      // Feed text never pings anyone (@everyone, roles, users).
      allowed_mentions: { parse: [] },
    }),
    storyIds: part.map((p) => p.story.id),
  }));
}

export const DISCORD_LIMITS = { embedsPerMessage: DISCORD_EMBEDS_PER_MESSAGE, embedCharsPerMessage: DISCORD_EMBED_CHARS_PER_MESSAGE, titleChars: DISCORD_TITLE_CHARS, descriptionChars: DISCORD_DESCRIPTION_CHARS };

// ---------------------------------------------------------------- shared

/** "source · date · matched terms" */
function metaLine(story: Story): string {
  const date = story.publishedAt ? story.publishedAt.slice(0, 16).replace('T', ' ') : 'undated';
  const terms = story.matches.map((m) => (m.count > 1 ? `${m.term} ×${m.count}` : m.term)).join(', ');
  return `${story.source} · ${date}${story.score !== undefined ? ` · score ${story.score.toFixed(2)}` : ''} · ${terms}`;
}

function partHeadline(digest: Digest, index: number, count: number): string {
  return count > 1 ? `${headlineOf(digest)} (${index + 1}/${count})` : headlineOf(digest);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Consecutive groups of at most `count` items and `chars` characters (an item larger than `chars` goes alone). */
function chunkBySize<T>(items: readonly T[], count: number, chars: number, size: (item: T) => number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && (current.length >= count || used + n > chars)) {
      out.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}
