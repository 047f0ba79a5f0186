import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkDestinationUri, destinationKind, feedPathOf, inferWebhookFormat, isEnvName, redactUri, type DestinationSpec, type WebhookFormat } from '../../config/destination.js';
import { addDestination, removeDestination } from '../../config/edit-watchlist.js';
import { ensureWatchlistsDir } from '../../config/load-watchlists.js';
import { readSettings } from '../../config/settings.js';
import { createDestination, type DeliverySettings } from '../../deliver/create-destination.js';
import type { Digest } from '../../digest/digest.js';
import type { DeliveryOutcome } from '../../deliver/destination.js';
import { sampleDeliveryDigest } from '../../deliver/sample-digest.js';
import { toJsonText } from '../../digest/render-json.js';
import { toTerminalLine } from '../../digest/safe-text.js';
import { DeliveryError, UsageError } from '../../errors.js';
import { createContext, writeStdout, type GlobalOptions } from '../context.js';
import { deliverySettingsOf } from '../delivery-options.js';
import { chalkFor, editWatchlistFile, loadNamed, plural } from './watchlist.js';

export async function deliverAddCommand(name: string, uri: string, flags: { format?: WebhookFormat; secretEnv?: string }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const spec = destinationSpecOf(uri, flags);
  if (spec.secretEnv && !process.env[spec.secretEnv]) ctx.reporter.warn(`${spec.secretEnv} is not set here; set it wherever presswatch delivers, or deliveries to this webhook fail`);
  await editWatchlistFile(ctx, name, (doc) => {
    const r = addDestination(doc, spec);
    return { report: r, done: `added destination ${redactUri(spec.uri)} to ${name}${spec.format ? ` (${spec.format})` : ''}`, skipped: `${name} already delivers to ${redactUri(spec.uri)}` };
  });
}

/**
 * The destination as it goes into the file: a relative file: path made absolute
 * (cron runs elsewhere), a webhook's format written out even when inferred, so the
 * file says what will be sent.
 */
export function destinationSpecOf(rawUri: string, flags: { format?: WebhookFormat; secretEnv?: string }, cwd = process.cwd()): DestinationSpec {
  let uri = rawUri.trim();
  if (/^file:(?!\/)/i.test(uri)) uri = pathToFileURL(resolve(cwd, decodeURIComponent(uri.slice('file:'.length)))).href.replace(/^file:\/\//, 'file:');
  const problem = checkDestinationUri(uri);
  if (problem) throw new UsageError(`watchlist deliver add: ${problem}`);
  const kind = destinationKind(uri);
  if (kind !== 'webhook' && (flags.format || flags.secretEnv)) throw new UsageError(`watchlist deliver add: --format and --secret-env are for webhooks (http:, https:), not ${uri}`);
  if (flags.secretEnv !== undefined && !isEnvName(flags.secretEnv)) {
    throw new UsageError(`--secret-env: give the name of an environment variable (letters, digits, underscore), not the secret itself`);
  }
  if (kind !== 'webhook') return { uri };
  return { uri, format: flags.format ?? inferWebhookFormat(uri), ...(flags.secretEnv ? { secretEnv: flags.secretEnv } : {}) };
}

export async function deliverRemoveCommand(name: string, uri: string, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  await editWatchlistFile(ctx, name, (doc) => {
    const r = removeDestination(doc, uri);
    return {
      report: r,
      done: `removed destination ${redactUri(uri.trim())} from ${name}`,
      skipped: `${name} has no destination ${redactUri(uri.trim())} (see \`presswatch watchlist deliver list ${name}\`)`,
      skippedIsWarning: true,
    };
  });
}

/** The destinations as written in the file (whole URIs: this is what `remove` takes). */
export async function deliverListCommand(name: string, flags: { json?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const loaded = await loadNamed(ctx, name);
  const destinations = loaded.watchlist.destinations ?? [];
  if (flags.json) return writeStdout(toJsonText(destinations));
  if (destinations.length === 0) {
    ctx.reporter.info(`${name} has no destinations; add one with \`presswatch watchlist deliver add ${name} mailto:you@example.org\``);
    return;
  }
  const c = chalkFor(ctx);
  await writeStdout(`${destinations.map((d) => `${toTerminalLine(d.uri)}${d.format ? c.dim(`  ${d.format}${d.secretEnv ? `, signed with $${d.secretEnv}` : ''}`) : ''}`).join('\n')}\n`);
}

export interface DeliveryTestRow {
  destination: string;
  kind: string;
  ok: boolean;
  detail: string;
}

/** Sends a sample story to every destination of the watchlist and reports each outcome; records nothing. */
export async function deliverTestCommand(name: string, flags: { json?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  await ensureWatchlistsDir(ctx.locations.watchlistsDir);
  const loaded = await loadNamed(ctx, name);
  const specs = loaded.watchlist.destinations ?? [];
  if (specs.length === 0) throw new UsageError(`${name} has no destinations; add one with \`presswatch watchlist deliver add ${name} URI\``);
  const settings = deliverySettingsOf(readSettings(ctx.locations.configDir));
  const digest = sampleDeliveryDigest(loaded.watchlist.name, new Date());
  const rows = await Promise.all(
    specs.map(async (spec): Promise<DeliveryTestRow> => {
      const kind = destinationKind(spec.uri) ?? 'unknown';
      const outcome = kind === 'feed' ? await testFeedFile(spec, settings, digest) : await createDestination(spec, settings).deliver({ digest, earlier: [] });
      return { destination: redactUri(spec.uri), kind, ok: outcome.status === 'accepted', detail: outcome.status === 'accepted' ? (outcome.detail ?? 'accepted') : outcome.reason };
    }),
  );
  if (flags.json) await writeStdout(toJsonText(rows));
  else {
    const c = chalkFor(ctx);
    await writeStdout(`${rows.map((r) => `${r.ok ? c.green('OK    ') : c.red('FAILED')}  ${toTerminalLine(r.destination)}  ${c.dim(toTerminalLine(r.detail))}`).join('\n')}\n`);
  }
  const failed = rows.filter((r) => !r.ok).length;
  if (failed > 0) throw new DeliveryError(`${failed} of ${plural(rows.length, 'destination')} of ${name} failed the test`);
}

/**
 * A rolling feed is not given a sample story (readers would keep it): the same
 * code writes a sample feed beside it, which is then removed.
 */
async function testFeedFile(spec: DestinationSpec, settings: DeliverySettings, digest: Digest): Promise<DeliveryOutcome> {
  const path = feedPathOf(spec.uri);
  const probe = join(dirname(path), `.${basename(path)}.presswatch-test.atom`);
  const outcome = await createDestination({ uri: `file:${probe}` }, settings).deliver({ digest, earlier: [] });
  await rm(probe, { force: true });
  return outcome.status === 'accepted' ? { status: 'accepted', detail: `${dirname(path)} is writable; the feed is written at the next delivery` } : { status: 'failed', reason: outcome.reason.replace(probe, path) };
}
