import Conf from 'conf';
import { DEFAULT_FETCH_OPTIONS } from '../fetch/http.js';

/** User settings, kept by conf in the config dir as config.json. */
export interface Settings {
  fetchTimeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
  concurrency: number;
  userAgent: string;
}

export const DEFAULT_SETTINGS: Settings = {
  fetchTimeoutMs: DEFAULT_FETCH_OPTIONS.timeoutMs,
  maxResponseBytes: DEFAULT_FETCH_OPTIONS.maxBytes,
  maxRedirects: DEFAULT_FETCH_OPTIONS.maxRedirects,
  concurrency: 8,
  userAgent: DEFAULT_FETCH_OPTIONS.userAgent,
};

const SCHEMA = {
  fetchTimeoutMs: { type: 'integer', minimum: 100 },
  maxResponseBytes: { type: 'integer', minimum: 1024 },
  maxRedirects: { type: 'integer', minimum: 0, maximum: 20 },
  concurrency: { type: 'integer', minimum: 1, maximum: 64 },
  userAgent: { type: 'string', minLength: 1 },
} as const;

export function openSettings(configDir: string): Conf<Settings> {
  return new Conf<Settings>({ projectName: 'presswatch', cwd: configDir, defaults: DEFAULT_SETTINGS, schema: SCHEMA, clearInvalidConfig: false });
}

export function readSettings(configDir: string): Settings {
  return { ...DEFAULT_SETTINGS, ...openSettings(configDir).store };
}
