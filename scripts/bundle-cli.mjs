// `npm run build`, after tsc: bundles dist/cli/main.js into dist/bundle/ with esbuild,
// which bin/presswatch.js runs when present. One file per lazily imported command or
// stage (code splitting), so a command still loads only what it needs, from a few files
// instead of ~150 modules and their package.json look-ups: --help 105 -> 89 ms CPU,
// a warm digest 469 -> 425 ms (docs/benchmarks.md). Outside the bundle: better-sqlite3
// (a native addon). The entity tables (country gazetteer, its word index, cities
// by country) are derived here once and written beside the bundle as JSON, which the
// bundle reads instead of deriving them on every run (src/entities/precomputed-tables.ts).
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle: esbuild is not installed (a dev dependency): presswatch runs unbundled from dist/cli/, only slower to start\n');
  process.exit(0);
}
await rm(outdir, { recursive: true, force: true });
await esbuild.build({
  // Task threads (src/io/task-thread.ts) start from files of their own, beside the CLI's.
  entryPoints: { main: `${root}dist/cli/main.js`, 'parse-worker': `${root}dist/pipeline/parse-worker.js`, 'pack-worker': `${root}dist/store/pack-worker.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3'],
  // CommonJS packages inside an ES module bundle call require(): give them one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
const { deriveEntityTables } = await import(`${root}dist/entities/derive-tables.js`);
for (const [name, table] of Object.entries(deriveEntityTables())) await writeFile(`${outdir}/${name}.json`, JSON.stringify(table));
