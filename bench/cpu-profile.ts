/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function,
 * by function name and file:line, and total time per file. For finding hot spots.
 *
 *   node --import tsx bench/cpu-profile.ts /tmp/prof/CPU.*.cpuprofile [--top 25]
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  selfMs: number;
  share: number;
}

/** Self time (ms) by `function file:line`, and by file, heaviest first. */
export function summariseProfile(profile: CpuProfile, root = ''): { totalMs: number; functions: HotSpot[]; files: HotSpot[] } {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.replace(/^file:\/\//, '').replace(root, '') : '(native)';
    const key = `${functionName || '(anonymous)'} ${url ? `${file}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const group = file.includes('node_modules/') ? `node_modules/${file.split('node_modules/').pop()!.split('/')[0]}` : file;
    byFile.set(group, (byFile.get(group) ?? 0) + us);
  }
  const totalUs = profile.endTime - profile.startTime;
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, selfMs: us / 1000, share: us / totalUs }));
  return { totalMs: totalUs / 1000, functions: rank(byFunction), files: rank(byFile) };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, root: { type: 'string', default: `${process.cwd()}/` } } });
  for (const file of positionals) {
    const summary = summariseProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, values.root);
    const line = (h: HotSpot) => `${h.selfMs.toFixed(0).padStart(7)} ms ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`;
    process.stdout.write(`${file}: ${summary.totalMs.toFixed(0)} ms profiled\n\nby file (self time):\n`);
    process.stdout.write(`${summary.files.slice(0, 15).map(line).join('\n')}\n\nby function (self time):\n`);
    process.stdout.write(`${summary.functions.slice(0, Number(values.top)).map(line).join('\n')}\n\n`);
  }
}
