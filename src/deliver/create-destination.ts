import { destinationKind, type DestinationSpec } from '../config/destination.js';
import type { Destination } from './destination.js';
import { feedFileDestination } from './feed-file.js';
import { mailDestination, type MailSettings } from './mail.js';
import { webhookDestination, type WebhookSettings } from './webhook.js';

export interface DeliverySettings {
  mail: MailSettings;
  webhook: WebhookSettings;
}

/** The destination value for a watchlist's `destinations:` entry (already validated). */
export function createDestination(spec: DestinationSpec, settings: DeliverySettings): Destination {
  const kind = destinationKind(spec.uri);
  switch (kind) {
    case 'mail':
      return mailDestination(spec.uri, settings.mail);
    case 'webhook':
      return webhookDestination(spec, settings.webhook);
    case 'feed':
      return feedFileDestination(spec);
    case null:
      throw new Error(`deliver: unsupported destination ${spec.uri} (the watchlist validation should have refused it)`);
  }
}
