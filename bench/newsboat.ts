/**
 * newsboat as the reference reader: `newsboat -x reload` with a private HOME,
 * config, urls file and cache, so it never touches a real profile. A cold run
 * starts from no cache; a warm run reuses the cache of the cold one, whose
 * stored ETag / Last-Modified make the server answer 304.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measureCommand, type Measurement } from './measure.js';

/** The newsboat binary's path and version, or null when it is not installed. */
export function findNewsboat(): { path: string; version: string } | null {
  try {
    const path = execFileSync('sh', ['-c', 'command -v newsboat'], { encoding: 'utf8' }).trim();
    if (!path) return null;
    const version = execFileSync(path, ['--version'], { encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent' } })
      .split('\n')[0]!
      .trim();
    return { path, version };
  } catch {
    return null;
  }
}

export interface NewsboatProfile {
  dir: string;
  config: string;
  cache: string;
  urls: string;
}

/** Writes a private profile (config with `reload-threads`, urls file) under `dir`. */
export async function writeNewsboatProfile(dir: string, urls: readonly string[], threads: number): Promise<NewsboatProfile> {
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  const profile = { dir, config: join(dir, 'config'), cache: join(dir, 'cache.db'), urls: join(dir, 'urls') };
  await writeFile(profile.config, [`reload-threads ${threads}`, 'download-retries 1', 'download-timeout 30', 'show-read-feeds yes', 'cleanup-on-quit no', ''].join('\n'));
  await writeFile(profile.urls, `${urls.join('\n')}\n`);
  return profile;
}

/** One `newsboat -x reload` against the profile; run it twice for cold then warm. */
export function runNewsboatReload(binary: string, profile: NewsboatProfile, timeoutMs: number): Promise<Measurement> {
  return measureCommand(binary, ['-C', profile.config, '-c', profile.cache, '-u', profile.urls, '-x', 'reload'], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: join(profile.dir, 'home'), LANG: 'C.UTF-8', TERM: 'dumb' },
    timeoutMs,
  });
}
