import { open, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { Agent as HttpAgent, AgentOptions as HttpAgentOptions, ClientRequestArgs, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
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
  const client = await loadHttpClient();
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    return await fetchHttp(client, url, validators, options, trust, signal);
  } catch (error) {
    throw toFetchError(url, error, options, signal);
  }
}

async function fetchHttp(client: HttpClient, startUrl: string, validators: Validators, options: FetchOptions, trust: Trust, signal: AbortSignal): Promise<FetchResult> {
  let url = startUrl;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      accept: 'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;

    const target = new URL(url);
    let response: IncomingMessage;
    try {
      response = await request(client, target, headers, agentFor(client, target, isTrustedUrl(target, trust), options), signal);
    } catch (error) {
      if (error instanceof AddressRefusal) throw new PrivateAddressError(startUrl, url, error);
      throw error;
    }
    const status = response.statusCode ?? 0;
    const header = (name: string) => {
      const value = response.headers[name];
      return (Array.isArray(value) ? value[0] : value) ?? null;
    };
    if (status >= 300 && status < 400 && status !== 304) {
      response.resume();
      const location = header('location');
      if (!location) throw new FetchError(`${url}: redirect ${status} without a Location header`, status);
      if (hop >= options.maxRedirects) throw new FetchError(`${startUrl}: too many redirects (more than ${options.maxRedirects})`, status);
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new FetchError(`${url}: redirect to ${next.protocol} refused (only http and https are followed)`, status);
      }
      url = next.href;
      continue;
    }
    const etag = header('etag');
    const lastModified = header('last-modified');
    if (status === 304) {
      response.resume();
      return {
        kind: 'not-modified',
        status: 304,
        url,
        etag: etag ?? validators.etag ?? null,
        lastModified: lastModified ?? validators.lastModified ?? null,
        cacheControl: header('cache-control'),
      };
    }
    if (status < 200 || status > 299) {
      response.resume();
      const reason = response.statusMessage ? ` ${response.statusMessage}` : '';
      throw new FetchError(`${url}: HTTP ${status}${reason}`, status, header('retry-after'));
    }
    const declared = Number(header('content-length'));
    const encoded = header('content-encoding');
    if (!encoded && Number.isFinite(declared) && declared > options.maxBytes) {
      response.destroy();
      throw new FetchError(`${url}: response too large (${declared} bytes announced, limit ${options.maxBytes})`, status);
    }
    const body = await readCapped(client, response, encoded, url, options.maxBytes);
    const contentType = header('content-type');
    const cacheControl = header('cache-control');
    return { kind: 'ok', status, url, text: decodeBody(body, contentType), contentType, etag, lastModified, cacheControl, bytes: body.byteLength };
  }
}

/** One request; resolves with the response once its headers are in. */
function request(client: HttpClient, url: URL, headers: Record<string, string>, agent: HttpAgent, signal: AbortSignal): Promise<IncomingMessage> {
  const module = url.protocol === 'https:' ? client.https : client.http;
  return new Promise((resolve, reject) => {
    const req = module.request(url, { headers, agent, signal }, resolve);
    req.once('error', reject);
    req.end();
  });
}

/** The body, decompressed as Content-Encoding says (gzip, deflate, br; an unknown coding is read as is), capped once decoded. */
async function readCapped(client: HttpClient, response: IncomingMessage, encoding: string | null, url: string, maxBytes: number): Promise<Buffer> {
  let body: NodeJS.ReadableStream = response;
  const decoders = (encoding ?? '')
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'identity')
    .reverse();
  for (const coding of decoders) {
    const decoder = coding === 'gzip' || coding === 'x-gzip' ? client.zlib.createGunzip() : coding === 'deflate' ? client.zlib.createInflate() : coding === 'br' ? client.zlib.createBrotliDecompress() : null;
    if (!decoder) break;
    body.once('error', (error: Error) => decoder.destroy(error));
    body = body.pipe(decoder);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new FetchError(`${url}: response too large (over ${maxBytes} bytes)`);
      chunks.push(chunk);
    }
  } finally {
    if (!response.complete) response.destroy();
  }
  return Buffer.concat(chunks, total);
}

const importHttpClient = async () => {
  const [http, https, zlib] = await Promise.all([import('node:http'), import('node:https'), import('node:zlib')]);
  return { http, https, zlib };
};
type HttpClient = Awaited<ReturnType<typeof importHttpClient>>;
let httpClient: ReturnType<typeof importHttpClient> | null = null;

/** Node's HTTP modules are loaded on the first HTTP fetch: commands that fetch nothing do not pay for them. */
function loadHttpClient(): ReturnType<typeof importHttpClient> {
  httpClient ??= importHttpClient();
  return httpClient;
}

/** Agents by look-up function (the system's, or a test's), then by scheme, trust and allow list. */
const agentsByLookup = new WeakMap<object, Map<string, HttpAgent>>();
const SYSTEM_LOOKUP = {};

/**
 * One connection pool per kind of request: trusted hosts connect wherever their name
 * resolves; every other request goes through an agent that judges the address it is
 * about to connect to (guardLookup for names, refusalForLiteral for IP literals, which
 * connect without a look-up). The two pools never share a socket.
 */
function agentFor({ http, https }: HttpClient, url: URL, trusted: boolean, options: FetchOptions): HttpAgent {
  const allow = compileAllowList(trusted ? [] : options.allowPrivateHosts);
  const key = `${url.protocol} ${trusted ? 'trusted' : `guarded ${allow.key}`}`;
  const lookupKey = options.lookup ?? SYSTEM_LOOKUP;
  let agents = agentsByLookup.get(lookupKey);
  if (!agents) {
    agents = new Map();
    agentsByLookup.set(lookupKey, agents);
  }
  let agent = agents.get(key);
  if (agent) return agent;
  const Base = url.protocol === 'https:' ? https.Agent : http.Agent;
  if (trusted) {
    agent = new Base({ keepAlive: true, ...(options.lookup ? { lookup: options.lookup as NonNullable<HttpAgentOptions['lookup']> } : {}) });
  } else {
    const Guarded = class extends Base {
      override createConnection(connection: ClientRequestArgs, callback?: (error: Error | null, socket: Duplex) => void): Duplex | null | undefined {
        const refusal = refusalForLiteral(connection.host ?? connection.hostname ?? '', allow);
        if (refusal) {
          callback?.(refusal, undefined as unknown as Duplex);
          return undefined;
        }
        return super.createConnection(connection, callback);
      }
    };
    agent = new Guarded({ keepAlive: true, lookup: guardLookup(allow, options.lookup) as NonNullable<HttpAgentOptions['lookup']> });
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

/** Maps the HTTP client's errors to one short reason a person can act on. */
function toFetchError(url: string, error: unknown, options: FetchOptions, signal: AbortSignal): FetchError {
  if (error instanceof FetchError) return error;
  const err = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  if (err instanceof AddressRefusal) return new PrivateAddressError(url, url, err);
  if (signal.aborted || err.name === 'TimeoutError' || err.name === 'AbortError') return new FetchError(`${url}: timed out after ${options.timeoutMs} ms`);
  const code = err.code ?? err.cause?.code;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found (DNS)',
    EAI_AGAIN: 'DNS lookup failed (temporary)',
    ECONNRESET: 'connection reset by the server',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    EPIPE: 'connection closed by the server',
    ERR_STREAM_PREMATURE_CLOSE: 'connection closed by the server',
    Z_DATA_ERROR: 'response body is not validly compressed',
    Z_BUF_ERROR: 'response body is cut short',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
  };
  if (code && reasons[code]) return new FetchError(`${url}: ${reasons[code]}`);
  const detail = err.cause?.message ?? err.message;
  return new FetchError(`${url}: ${detail || 'request failed'}`);
}
