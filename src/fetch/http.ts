import { open, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { Agent, Response } from 'undici';
import { AddressRefusal, compileAllowList, describeRange, guardLookup, isTrustedUrl, refusalForLiteral, TRUST_NOTHING, type LookupFunction, type Trust } from './address-policy.js';
import { decodeBody } from './charset.js';

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /** Hosts and CIDR ranges a found link may reach although they are not public (docs/security.md). */
  allowPrivateHosts?: readonly string[];
  /** The connection's DNS look-up (node:dns by default); tests inject a resolver here. */
  lookup?: LookupFunction;
}

export const DEFAULT_FETCH_OPTIONS: FetchOptions = {
  timeoutMs: 15_000,
  maxBytes: 15 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'presswatch/0.1 (+https://github.com/presswatch/presswatch; press monitoring CLI)',
};

export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export type FetchResult =
  | {
      kind: 'ok';
      status: number;
      url: string;
      text: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      /** The Cache-Control header, for scheduling the next fetch. */
      cacheControl: string | null;
      bytes: number;
    }
  | { kind: 'not-modified'; status: 304; url: string; etag: string | null; lastModified: string | null; cacheControl: string | null };

/** A fetch that failed; `message` starts with the URL and says why in a few words. */
export class FetchError extends Error {
  readonly status: number | null;
  readonly retryAfter: string | null;
  constructor(message: string, status: number | null = null, retryAfter: string | null = null) {
    super(message);
    this.name = 'FetchError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/** A fetch refused because a found link (or a redirect) led to a non-public address. */
export class PrivateAddressError extends FetchError {
  readonly refusal: AddressRefusal;
  /** True when the refused address came from a redirect rather than the URL asked for. */
  readonly redirected: boolean;
  constructor(startUrl: string, url: string, refusal: AddressRefusal) {
    const where = url === startUrl ? url : `${startUrl}: redirected to ${url}, which`;
    super(`${where} resolves to ${refusal.address}, ${describeRange(refusal.range)}: not fetched (allowPrivateHosts to allow)`);
    this.name = 'PrivateAddressError';
    this.refusal = refusal;
    this.redirected = url !== startUrl;
  }
}

/** Accepts http(s) URLs, file: URLs and plain paths; returns the URL string used as the feed's identity. */
export function normalizeSourceLocation(location: string, baseDir = process.cwd()): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)) return location;
  return pathToFileURL(isAbsolute(location) ? location : resolve(baseDir, location)).href;
}

/**
 * GETs a feed or page with conditional headers, a timeout covering the whole
 * exchange, a redirect limit counted by hand, and a cap on the decoded body size
 * (so a gzip bomb stops at the cap, whatever its size on the wire).
 *
 * Every hop, redirects included, connects only to public addresses unless its host
 * is in `trust` (the user named it) or `options.allowPrivateHosts` opens it.
 */
export async function fetchResource(location: string, validators: Validators = {}, options: FetchOptions = DEFAULT_FETCH_OPTIONS, trust: Trust = TRUST_NOTHING): Promise<FetchResult> {
  const url = normalizeSourceLocation(location);
  if (url.startsWith('file:')) return readLocalFile(url, options);
  if (!/^https?:/i.test(url)) throw new FetchError(`${url}: unsupported scheme (only http, https and file are fetched)`);

  // Loading the HTTP client is not the server's time: the timeout starts after it.
  const client = await loadUndici();
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    return await fetchHttp(client, url, validators, options, trust, signal);
  } catch (error) {
    throw toFetchError(url, error, options);
  }
}

async function fetchHttp(client: Undici, startUrl: string, validators: Validators, options: FetchOptions, trust: Trust, signal: AbortSignal): Promise<FetchResult> {
  let url = startUrl;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      accept: 'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;

    const dispatcher = dispatcherFor(client, isTrustedUrl(new URL(url), trust), options);
    let response: Response;
    try {
      response = await client.fetch(url, { headers, redirect: 'manual', signal, dispatcher });
    } catch (error) {
      const refusal = (error as { cause?: unknown }).cause;
      if (refusal instanceof AddressRefusal) throw new PrivateAddressError(startUrl, url, refusal);
      throw error;
    }
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel().catch(() => {});
      const location = response.headers.get('location');
      if (!location) throw new FetchError(`${url}: redirect ${response.status} without a Location header`, response.status);
      if (hop >= options.maxRedirects) throw new FetchError(`${startUrl}: too many redirects (more than ${options.maxRedirects})`, response.status);
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new FetchError(`${url}: redirect to ${next.protocol} refused (only http and https are followed)`, response.status);
      }
      url = next.href;
      continue;
    }
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (response.status === 304) {
      await response.body?.cancel().catch(() => {});
      return {
        kind: 'not-modified',
        status: 304,
        url,
        etag: etag ?? validators.etag ?? null,
        lastModified: lastModified ?? validators.lastModified ?? null,
        cacheControl: response.headers.get('cache-control'),
      };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      const reason = response.statusText ? ` ${response.statusText}` : '';
      throw new FetchError(`${url}: HTTP ${response.status}${reason}`, response.status, response.headers.get('retry-after'));
    }
    const declared = Number(response.headers.get('content-length'));
    const encoded = response.headers.get('content-encoding');
    if (!encoded && Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new FetchError(`${url}: response too large (${declared} bytes announced, limit ${options.maxBytes})`, response.status);
    }
    const body = await readCapped(response, url, options.maxBytes);
    const contentType = response.headers.get('content-type');
    const cacheControl = response.headers.get('cache-control');
    return { kind: 'ok', status: response.status, url, text: decodeBody(body, contentType), contentType, etag, lastModified, cacheControl, bytes: body.byteLength };
  }
}

async function readCapped(response: Response, url: string, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new FetchError(`${url}: response too large (over ${maxBytes} bytes)`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

const importUndici = () => import('undici');
type Undici = Awaited<ReturnType<typeof importUndici>>;
let undici: ReturnType<typeof importUndici> | null = null;

/** undici is loaded on the first HTTP fetch: commands that fetch nothing do not pay for it. */
function loadUndici(): ReturnType<typeof importUndici> {
  undici ??= importUndici();
  return undici;
}

/** Agents by look-up function (the system's, or a test's), then by trust and allow list. */
const dispatchers = new WeakMap<object, Map<string, Agent>>();
const SYSTEM_LOOKUP = {};

/**
 * One connection pool per kind of request: trusted hosts connect wherever their name
 * resolves; every other request goes through a connector that judges the address it is
 * about to connect to (guardLookup for names, refusalForLiteral for IP literals). The two
 * pools never share a socket.
 */
function dispatcherFor({ Agent, buildConnector }: Undici, trusted: boolean, options: FetchOptions): Agent {
  const allow = compileAllowList(trusted ? [] : options.allowPrivateHosts);
  const key = trusted ? 'trusted' : `guarded ${allow.key}`;
  const lookupKey = options.lookup ?? SYSTEM_LOOKUP;
  let agents = dispatchers.get(lookupKey);
  if (!agents) {
    agents = new Map();
    dispatchers.set(lookupKey, agents);
  }
  let agent = agents.get(key);
  if (agent) return agent;
  if (trusted) {
    agent = new Agent(options.lookup ? { connect: { lookup: options.lookup } } : {});
  } else {
    const connect = buildConnector({ lookup: guardLookup(allow, options.lookup) });
    agent = new Agent({
      connect: (opts, callback) => {
        const refusal = refusalForLiteral(opts.hostname, allow);
        if (refusal) return callback(refusal, null);
        return connect(opts, callback);
      },
    });
  }
  agents.set(key, agent);
  return agent;
}

async function readLocalFile(url: string, options: FetchOptions): Promise<FetchResult> {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch {
    throw new FetchError(`${url}: not a valid file URL`);
  }
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FetchError(`${path}: not a regular file`);
    if (info.size > options.maxBytes) throw new FetchError(`${path}: file too large (${info.size} bytes, limit ${options.maxBytes})`);
    const handle = await open(path, 'r');
    try {
      const bytes = await handle.readFile();
      return { kind: 'ok', status: 200, url, text: decodeBody(bytes, null), contentType: null, etag: null, lastModified: null, cacheControl: null, bytes: bytes.byteLength };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new FetchError(`${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/** Maps undici's layered errors to one short reason a person can act on. */
function toFetchError(url: string, error: unknown, options: FetchOptions): FetchError {
  if (error instanceof FetchError) return error;
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.cause instanceof AddressRefusal) return new PrivateAddressError(url, url, err.cause);
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return new FetchError(`${url}: timed out after ${options.timeoutMs} ms`);
  const code = err.cause?.code;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found (DNS)',
    EAI_AGAIN: 'DNS lookup failed (temporary)',
    ECONNRESET: 'connection reset by the server',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    UND_ERR_SOCKET: 'connection closed by the server',
    UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
    UND_ERR_BODY_TIMEOUT: 'response body stalled',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
  };
  if (code && reasons[code]) return new FetchError(`${url}: ${reasons[code]}`);
  const detail = err.cause?.message ?? err.message;
  return new FetchError(`${url}: ${detail || 'request failed'}`);
}
