import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, openSettings, readSettings } from '../../src/config/settings.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('readSettings: defaults without a file; a stored value wins; each schema rule is checked as conf checks it', async (t) => {
  const dir = await makeTempDir(t, 'presswatch-settings-');
  assert.deepEqual(readSettings(dir), DEFAULT_SETTINGS);
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify({ concurrency: 3, respectRobots: false }));
  assert.deepEqual(readSettings(dir), { ...DEFAULT_SETTINGS, concurrency: 3, respectRobots: false });
  for (const [stored, reason] of [
    [{ concurrency: 65 }, 'concurrency: must be <= 64'],
    [{ fetchTimeoutMs: 99 }, 'fetchTimeoutMs: must be >= 100'],
    [{ concurrency: 2.5 }, 'concurrency: must be integer'],
    [{ userAgent: '' }, 'userAgent: must NOT have fewer than 1 characters'],
    [{ respectRobots: 'yes' }, 'respectRobots: must be boolean'],
    [{ allowPrivateHosts: 'lan' }, 'allowPrivateHosts: must be array'],
    [{ allowPrivateHosts: ['10.0.0.0/8', ''] }, 'allowPrivateHosts/1: must NOT have fewer than 1 characters'],
    [[1], 'must be object'],
  ] as const) {
    await writeFile(file, JSON.stringify(stored));
    assert.throws(() => readSettings(dir), { message: `${file}: ${reason}; correct it by hand, or delete the file to go back to the defaults` });
    // The same file through conf (config get/set) gives the same words.
    if (!Array.isArray(stored)) await assert.rejects(openSettings(dir), { message: `${file}: ${reason}; correct it by hand, or delete the file to go back to the defaults` });
  }
});
