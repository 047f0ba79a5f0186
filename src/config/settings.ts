import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import { ConfigError } from '../errors.js';
import { allowEntryError } from '../fetch/address-policy.js';
import { DEFAULT_FETCH_OPTIONS, type FetchOptions } from '../fetch/http.js';
import { DEFAULT_POLITENESS } from '../fetch/polite-fetcher.js';

/** User settings, kept by conf in the config dir as config.json. */
export interface Settings {
  fetchTimeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
  concurrency: number;
  userAgent: string;
  /** Article pages read at once, across hosts. */
  scrapeConcurrency: number;
  /** Article pages read at once from one host. */
  scrapePerHost: number;
  /** Minimum gap between two requests to one host (a robots.txt Crawl-delay can only lengthen it). */
  scrapeDelayMs: number;
  respectRobots: boolean;
  /**
   * Host names, IP addresses and CIDR ranges that links found in feeds may reach although
   * they are not public (loopback, private, link-local…). Configured feeds need no entry.
   */
  allowPrivateHosts: string[];
  /** Days an item no watchlist matched is kept (0: forever); docs/retention.md. */
  keepUnmatchedDays: number;
  /** Days a matched item and its story are kept, counted from the story's newest item (0: forever). */
  keepMatchedDays: number;
  /** Days a digest saved with --save is kept (0: forever). */
  keepDigestsDays: number;
}

export const DEFAULT_SETTINGS: Settings = {
  fetchTimeoutMs: DEFAULT_FETCH_OPTIONS.timeoutMs,
  maxResponseBytes: DEFAULT_FETCH_OPTIONS.maxBytes,
  maxRedirects: DEFAULT_FETCH_OPTIONS.maxRedirects,
  concurrency: 8,
  userAgent: DEFAULT_FETCH_OPTIONS.userAgent,
  scrapeConcurrency: 8,
  scrapePerHost: DEFAULT_POLITENESS.perHostConcurrency,
  scrapeDelayMs: DEFAULT_POLITENESS.perHostDelayMs,
  respectRobots: DEFAULT_POLITENESS.respectRobots,
  allowPrivateHosts: [],
  keepUnmatchedDays: 30,
  keepMatchedDays: 365,
  keepDigestsDays: 0,
};

const SCHEMA = {
  fetchTimeoutMs: { type: 'integer', minimum: 100 },
  maxResponseBytes: { type: 'integer', minimum: 1024 },
  maxRedirects: { type: 'integer', minimum: 0, maximum: 20 },
  concurrency: { type: 'integer', minimum: 1, maximum: 64 },
  userAgent: { type: 'string', minLength: 1 },
  scrapeConcurrency: { type: 'integer', minimum: 1, maximum: 64 },
  scrapePerHost: { type: 'integer', minimum: 1, maximum: 16 },
  scrapeDelayMs: { type: 'integer', minimum: 0 },
  respectRobots: { type: 'boolean' },
  allowPrivateHosts: { type: 'array', items: { type: 'string', minLength: 1 } },
  keepUnmatchedDays: { type: 'integer', minimum: 0 },
  keepMatchedDays: { type: 'integer', minimum: 0 },
  keepDigestsDays: { type: 'integer', minimum: 0 },
} as const;

type ScalarRule = { type: 'integer' | 'string' | 'boolean'; minimum?: number; maximum?: number; minLength?: number };
type SchemaRule = ScalarRule | { type: 'array'; items: ScalarRule };

/**
 * Settings to change them (`config get/set`): conf, loaded on demand because it
 * compiles SCHEMA with ajv, about 100 ms of CPU that every digest would pay
 * (docs/benchmarks.md, start-up breakdown). Reading goes through readSettings.
 */
export async function openSettings(configDir: string): Promise<Conf<Settings>> {
  const { default: Conf } = await import('conf');
  try {
    return new Conf<Settings>({ projectName: 'presswatch', cwd: configDir, defaults: DEFAULT_SETTINGS, schema: SCHEMA, clearInvalidConfig: false });
  } catch (error) {
    // A hand-edited settings file that is not JSON or breaks the schema, or a config dir that cannot be written.
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new ConfigError(`${settingsFileOf(configDir)}: cannot be written (${code}); make the config dir writable or choose another with --config-dir`);
    const reason = (error as Error).message.replace(/^Config schema violation: `([^`]+)` /, '$1: ').replace(/^Unexpected .*JSON.*|^.*is not valid JSON.*/, 'not valid JSON');
    throw invalidSettings(configDir, reason);
  }
}

function settingsFileOf(configDir: string): string {
  return `${configDir.replace(/[\\/]$/, '')}/config.json`;
}

function invalidSettings(configDir: string, reason: string): ConfigError {
  return new ConfigError(`${settingsFileOf(configDir)}: ${reason}; correct it by hand, or delete the file to go back to the defaults`);
}

/** The settings in force: the file conf keeps, read and checked against SCHEMA without loading conf. */
export function readSettings(configDir: string): Settings {
  const settings = { ...DEFAULT_SETTINGS, ...readStoredSettings(configDir) };
  const bad = allowPrivateHostsError(settings.allowPrivateHosts);
  if (bad) throw new ConfigError(`${settingsFileOf(configDir)}: ${bad}; correct it with \`presswatch config set allowPrivateHosts HOST,CIDR…\``);
  return settings;
}

function readStoredSettings(configDir: string): Partial<Settings> {
  let text: string;
  try {
    text = readFileSync(join(configDir, 'config.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`${settingsFileOf(configDir)}: cannot be read (${(error as NodeJS.ErrnoException).code}); check its permissions`);
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    throw invalidSettings(configDir, 'not valid JSON');
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) throw invalidSettings(configDir, 'must be object');
  const withDefaults = { ...DEFAULT_SETTINGS, ...(stored as Partial<Settings>) } as unknown as Record<string, unknown>;
  for (const [key, rule] of Object.entries(SCHEMA) as [string, SchemaRule][]) {
    const problem = schemaViolation(key, withDefaults[key], rule);
    if (problem) throw invalidSettings(configDir, problem);
  }
  return stored as Partial<Settings>;
}

/** The first way `value` breaks `rule`, worded as conf's validator (ajv) words it, or null. */
function schemaViolation(path: string, value: unknown, rule: SchemaRule): string | null {
  if (rule.type === 'array') {
    if (!Array.isArray(value)) return `${path}: must be array`;
    for (const [i, item] of value.entries()) {
      const problem = schemaViolation(`${path}/${i}`, item, rule.items);
      if (problem) return problem;
    }
    return null;
  }
  if (rule.type === 'integer' ? !Number.isInteger(value) : typeof value !== rule.type) return `${path}: must be ${rule.type}`;
  if (typeof value === 'number') {
    if (rule.minimum !== undefined && value < rule.minimum) return `${path}: must be >= ${rule.minimum}`;
    if (rule.maximum !== undefined && value > rule.maximum) return `${path}: must be <= ${rule.maximum}`;
  }
  if (typeof value === 'string' && rule.minLength !== undefined && value.length < rule.minLength) return `${path}: must NOT have fewer than ${rule.minLength} characters`;
  return null;
}

/** The first unusable `allowPrivateHosts` entry, as a message, or null. */
export function allowPrivateHostsError(entries: readonly string[]): string | null {
  for (const [i, entry] of entries.entries()) {
    const reason = allowEntryError(entry);
    if (reason) return `allowPrivateHosts[${i}]: ${reason}`;
  }
  return null;
}

export function fetchOptionsOf(settings: Settings): FetchOptions {
  return {
    timeoutMs: settings.fetchTimeoutMs,
    maxBytes: settings.maxResponseBytes,
    maxRedirects: settings.maxRedirects,
    userAgent: settings.userAgent,
    allowPrivateHosts: settings.allowPrivateHosts,
  };
}
