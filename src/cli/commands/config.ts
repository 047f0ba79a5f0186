import { chmod } from 'node:fs/promises';
import { allowPrivateHostsError, checkSmtpUrl, DEFAULT_SETTINGS, openSettings, redactSmtpUrl, type Settings } from '../../config/settings.js';
import { createContext, writeStdout, type GlobalOptions } from '../context.js';
import { UsageError } from '../../errors.js';
import { toJsonText } from '../../digest/render-json.js';
import { describeDatabaseUrl } from '../../store/database-url.js';

export async function configPathCommand(flags: { json?: boolean }, global: GlobalOptions): Promise<void> {
  const { locations } = createContext(global);
  const databaseUrl = locations.databaseUrl === null ? null : describeDatabaseUrl(locations.databaseUrl);
  if (flags.json) return writeStdout(toJsonText({ ...locations, databaseUrl }));
  const rows: [string, string][] = [
    ['config dir', locations.configDir],
    ['watchlists', locations.watchlistsDir],
    ['settings', locations.settingsFile],
    ['data dir', locations.dataDir],
    ['database', databaseUrl ?? locations.databaseFile],
    ['digests', locations.digestsDir],
  ];
  await writeStdout(`${rows.map(([k, v]) => `${k.padEnd(11)} ${v}`).join('\n')}\n`);
}

export async function configGetCommand(key: string | undefined, global: GlobalOptions): Promise<void> {
  const settings = await openSettings(createContext(global).locations.configDir);
  const all = { ...DEFAULT_SETTINGS, ...settings.store };
  // The password stays in the settings file (mode 0600), never on a screen or in a log.
  const shown = { ...all, smtpUrl: redactSmtpUrl(all.smtpUrl) };
  if (key === undefined) return writeStdout(toJsonText(shown));
  assertKey(key);
  const value = shown[key];
  await writeStdout(`${Array.isArray(value) ? value.join(',') : String(value)}\n`);
}

export async function configSetCommand(key: string, value: string, global: GlobalOptions): Promise<void> {
  assertKey(key);
  const settings = await openSettings(createContext(global).locations.configDir);
  const kind = Array.isArray(DEFAULT_SETTINGS[key]) ? 'list' : typeof DEFAULT_SETTINGS[key];
  // A list is given comma-separated; an empty value empties it.
  const typed = kind === 'number' ? Number(value) : kind === 'boolean' ? parseBoolean(key, value) : kind === 'list' ? parseList(value) : value;
  if (key === 'allowPrivateHosts') {
    const bad = allowPrivateHostsError(typed as string[]);
    if (bad) throw new UsageError(`config set ${bad}`);
  }
  if (typeof typed === 'number' && !Number.isInteger(typed)) throw new UsageError(`config set ${key}: expected a whole number, got "${value}"`);
  if (key === 'smtpUrl' && value !== '') {
    const problem = checkSmtpUrl(value);
    if (problem) throw new UsageError(`config set smtpUrl: ${problem}`);
  }
  try {
    settings.set(key, typed as never);
  } catch (error) {
    throw new UsageError(`config set ${key}: ${(error as Error).message.replace(/^Config schema violation: /, '')}`);
  }
  // A settings file made by an older presswatch may still be readable by others.
  await chmod(settings.path, 0o600);
}

function assertKey(key: string): asserts key is keyof Settings {
  if (!(key in DEFAULT_SETTINGS)) throw new UsageError(`unknown setting "${key}" (known: ${Object.keys(DEFAULT_SETTINGS).join(', ')})`);
}

function parseList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function parseBoolean(key: string, value: string): boolean {
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new UsageError(`config set ${key}: expected true or false, got "${value}"`);
}
