import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Locations {
  configDir: string;
  dataDir: string;
  watchlistsDir: string;
  databaseFile: string;
  /** A PostgreSQL URL: the store is there instead of databaseFile. */
  databaseUrl: string | null;
  digestsDir: string;
  settingsFile: string;
  /** The watchlists as last validated (src/config/watchlist-cache.ts): a cache, safe to delete. */
  watchlistCacheFile: string;
}

export interface LocationOverrides {
  configDir?: string | undefined;
  dataDir?: string | undefined;
  database?: string | undefined;
}

/**
 * Where presswatch keeps things. Flag, then environment variable, then the
 * platform's convention (XDG on Linux, Library on macOS, AppData on Windows).
 */
export function resolveLocations(flags: LocationOverrides = {}, env: NodeJS.ProcessEnv = process.env, platform = process.platform): Locations {
  const home = env['HOME'] || homedir();
  const configDir = resolve(flags.configDir || env['PRESSWATCH_CONFIG_DIR'] || platformDir('config', env, home, platform));
  const dataDir = resolve(flags.dataDir || env['PRESSWATCH_DATA_DIR'] || platformDir('data', env, home, platform));
  return {
    configDir,
    dataDir,
    watchlistsDir: join(configDir, 'watchlists'),
    databaseFile: join(dataDir, 'presswatch.db'),
    databaseUrl: flags.database || env['PRESSWATCH_DATABASE_URL'] || null,
    digestsDir: join(dataDir, 'digests'),
    settingsFile: join(configDir, 'config.json'),
    watchlistCacheFile: join(dataDir, 'watchlists.cache.json'),
  };
}

function platformDir(kind: 'config' | 'data', env: NodeJS.ProcessEnv, home: string, platform: string): string {
  if (platform === 'darwin') return join(home, 'Library', kind === 'config' ? 'Preferences' : 'Application Support', 'presswatch');
  if (platform === 'win32') return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), 'presswatch', kind === 'config' ? 'Config' : 'Data');
  const xdg = kind === 'config' ? env['XDG_CONFIG_HOME'] || join(home, '.config') : env['XDG_DATA_HOME'] || join(home, '.local', 'share');
  return join(xdg, 'presswatch');
}
