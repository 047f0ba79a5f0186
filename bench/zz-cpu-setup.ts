// Temporary: writes a bench watchlist for a running corpus server (origin in argv[2]) into argv[3].
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchlistYaml } from './corpus.js';
const [origin, dir] = process.argv.slice(2) as [string, string];
mkdirSync(join(dir, 'watchlists'), { recursive: true });
writeFileSync(join(dir, 'watchlists', 'bench.yaml'), watchlistYaml(Array.from({ length: 500 }, (_, i) => `${origin}/feeds/${i}.xml`)));
