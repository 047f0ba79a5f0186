/**
 * The deliver stage: one small module per kind of destination (mail, webhook,
 * rolling Atom file), each a value with one `deliver` that answers accepted or
 * failed-with-reason. A destination renders with the renderers the digest
 * already has; it never touches the store: the pipeline step
 * (src/pipeline/deliver-stories.ts) records what a destination accepted.
 */
import type { DestinationKind } from '../config/destination.js';
import type { Digest, Story } from '../digest/digest.js';

export interface Destination {
  /** As written in the watchlist: the key of its delivery record. */
  readonly uri: string;
  readonly kind: DestinationKind;
  /** How messages name it (a webhook's URL redacted). */
  readonly label: string;
  /** A rolling feed keeps this many stories: the step hands it the earlier ones. */
  readonly keeps?: number;
  deliver(delivery: Delivery): Promise<DeliveryOutcome>;
}

export interface Delivery {
  /** One watchlist's stories that this destination has not accepted yet. */
  digest: Digest;
  /** For a rolling feed: the stories it already carries, newest first. */
  earlier: readonly DeliveredStory[];
}

export interface DeliveredStory {
  story: Story;
  deliveredAt: string;
}

export type DeliveryOutcome =
  /** Every story was accepted (`detail`: the server's words, such as an SMTP 250 reply). */
  | { status: 'accepted'; detail?: string }
  /**
   * Not accepted, and why in a few words. A destination that takes a digest in
   * several messages (chat size limits) names the stories of the messages that
   * did go through, so they are not sent twice.
   */
  | { status: 'failed'; reason: string; acceptedStoryIds?: readonly string[] };

/** Reason text from a server or an error: one line, bounded (it is printed and stored). */
export function shortReason(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** What a delivery says in its subject or first line: `presswatch · coree-russie · 6 new stories`. */
export function headlineOf(digest: Digest): string {
  const n = digest.stories.length;
  return `presswatch · ${digest.watchlists.join(', ')} · ${n} new ${n === 1 ? 'story' : 'stories'}`;
}
