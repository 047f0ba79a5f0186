/**
 * Same-event grouping on the held-out set written for this project
 * (test/fixtures/events-heldout: other topics than the development set in
 * ../shared), to see whether what works on the development set generalises.
 * Prints the development set's scores (pairwise and B-cubed, French–English
 * recall, joins across the confusable and follow-up pairs) and, for every split
 * event and every false join, the keys the reports carried: the evidence of
 * what the method missed or took for the same event.
 *
 * Run: node --import tsx bench/dedupe-heldout.ts [--root DIR] [items.jsonl]
 * `--root` loads the grouping code of another checkout (a worktree of another
 * branch), read-only, so that two branches are measured on one file.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventSignature } from '../src/dedupe/event-signature.js';
import { type EventItem, loadEventItems, loadGrouping, loadHardPairs, printScores, runGrouping } from './event-sets.js';

function shared(a: EventSignature, b: EventSignature): string[] {
  const other = new Set(b.terms);
  return a.terms.filter((k) => other.has(k)).sort();
}

function describe(item: EventItem, signature: EventSignature): string {
  const headline = new Set(signature.headline);
  const text = signature.terms.filter((k) => !headline.has(k));
  return `    ${item.id} ${item.event} ${item.lang} ${item.published.slice(5, 16)} "${item.title}"\n      headline: ${[...headline].sort().join(' ')}\n      text:     ${text.sort().join(' ')}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--root');
  const root = at >= 0 ? resolve(args.splice(at, 2)[1]!) : undefined;
  const file = args[0] ? (isAbsolute(args[0]) ? args[0] : resolve(args[0])) : undefined;
  const items = loadEventItems(file);
  const hard = loadHardPairs(file ? resolve(file, '..', 'README.md') : undefined);
  const run = runGrouping(await loadGrouping(root), items);
  const { story, signatures } = run;
  printScores(`Held-out same-event set (grouping code from ${root ?? 'this checkout'})`, items, hard, story);
  console.log(`item pairs the copy rules join: ${run.copyPairs.length}${run.copyPairs.length ? ' (the digest would differ from groupEvents alone)' : ''}`);

  console.log("\n-- Split events: each story of the event with its reports' keys, and the keys shared across the split");
  for (const event of [...new Set(items.map((x) => x.event))].sort()) {
    const members = items.flatMap((x, i) => (x.event === event ? [i] : []));
    const stories = [...new Set(members.map((i) => story[i]!))];
    if (stories.length < 2) continue;
    console.log(`  ${event}: ${stories.length} stories`);
    for (const s of stories) for (const i of members.filter((m) => story[m] === s)) console.log(`   [story ${s}]\n${describe(items[i]!, signatures[i]!)}`);
    for (const i of members)
      for (const j of members) if (i < j && story[i] !== story[j]) console.log(`    missed ${items[i]!.id}-${items[j]!.id}: shared ${shared(signatures[i]!, signatures[j]!).join(' ') || '(nothing)'}`);
  }
  console.log('\n-- Hard pairs kept apart: the two reports across each pair that share the most keys (the margin the method has)');
  for (const pair of hard) {
    let best = { shared: [] as string[], i: -1, j: -1 };
    for (let i = 0; i < items.length; i++)
      for (let j = 0; j < items.length; j++)
        if (items[i]!.event === pair.a && items[j]!.event === pair.b) {
          const keys = shared(signatures[i]!, signatures[j]!);
          if (keys.length > best.shared.length) best = { shared: keys, i, j };
        }
    if (best.i >= 0) console.log(`  ${pair.kind} ${pair.a}~${pair.b}: ${items[best.i]!.id}-${items[best.j]!.id} share ${best.shared.join(' ')}`);
  }
  console.log('\n-- False joins: reports of different events in one story, and the keys they share');
  for (const s of [...new Set(story)]) {
    const members = items.flatMap((_, i) => (story[i] === s ? [i] : []));
    if (new Set(members.map((i) => items[i]!.event)).size < 2) continue;
    console.log(`  story ${s}: ${[...new Set(members.map((i) => items[i]!.event))].join(', ')}`);
    for (const i of members) console.log(describe(items[i]!, signatures[i]!));
    for (const i of members) for (const j of members) if (i < j && items[i]!.event !== items[j]!.event) console.log(`    ${items[i]!.id}-${items[j]!.id}: shared ${shared(signatures[i]!, signatures[j]!).join(' ')}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
