/**
 * `watchlist edit`: the person's editor on a temporary copy, validated on save.
 *
 * The editor edits a copy in a temporary folder, so the real file only ever
 * changes by one atomic rename of a valid result. When the result is invalid,
 * the copy is reopened with the problems as `# presswatch:` comment lines at the
 * top (also printed on stderr); those lines are removed before validating.
 * The editor is reopened only when the person says so (askToReopen, a question on
 * a terminal, as crontab -e asks): without a terminal nobody can answer, so an
 * invalid save ends the edit after one attempt instead of looping in a script.
 * Leaving without a change, or an editor exiting with a non-zero status
 * (`:cq` in vi), leaves the watchlist as it was.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { LoadedWatchlist } from './watchlist.js';
import { saveWatchlistText } from './edit-watchlist.js';

export type EditOutcome = 'saved' | 'unchanged' | 'abandoned';

export interface EditorOptions {
  /** The command to run, as in $VISUAL/$EDITOR ("vim", "code --wait"); see resolveEditor. */
  editor: string;
  env?: NodeJS.ProcessEnv;
  /** Where the problems are reported before asking to reopen (stderr in the CLI). */
  warn: (message: string) => void;
  /**
   * Asked after an invalid save, once the problem was reported: true reopens the
   * editor. Absent (no terminal to ask on), the first invalid save ends the edit.
   */
  askToReopen?: () => Promise<boolean>;
  /** A safety stop for editors that never change anything; default 20. */
  maxRounds?: number;
}

export interface EditResult {
  outcome: EditOutcome;
  /** Editor rounds run (1 when the first save was valid). */
  rounds: number;
  loaded: LoadedWatchlist | null;
  /** Why the file was left as it was, for abandoned edits. */
  reason: string | null;
}

const MARK = '# presswatch: ';

/** $VISUAL, then $EDITOR, then the platform's fallback (vi, or notepad on Windows). */
export function resolveEditor(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return env['VISUAL']?.trim() || env['EDITOR']?.trim() || (platform === 'win32' ? 'notepad' : 'vi');
}

export async function editInEditor(file: string, options: EditorOptions): Promise<EditResult> {
  const original = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`${file}: cannot read (${error.code ?? error.message})`);
  });
  const dir = await mkdtemp(join(tmpdir(), 'presswatch-edit-'));
  const copy = join(dir, basename(file));
  const maxRounds = options.maxRounds ?? 20;
  try {
    let handed = original;
    await writeFile(copy, handed, 'utf8');
    for (let round = 1; round <= maxRounds; round++) {
      const status = await runEditor(options.editor, copy, options.env ?? process.env);
      if (status !== 0) {
        const why = status === 127 ? `the editor "${options.editor}" was not found (set $VISUAL or $EDITOR)` : `the editor (${options.editor}) exited with ${status}`;
        return { outcome: 'abandoned', rounds: round, loaded: null, reason: why };
      }
      const edited = await readFile(copy, 'utf8');
      if (edited === handed) {
        if (round === 1) return { outcome: 'unchanged', rounds: round, loaded: null, reason: null };
        return { outcome: 'abandoned', rounds: round, loaded: null, reason: 'saved again without fixing the problems' };
      }
      const text = stripProblems(edited);
      if (text === original) return { outcome: 'unchanged', rounds: round, loaded: null, reason: null };
      try {
        return { outcome: 'saved', rounds: round, loaded: await saveWatchlistText(file, text), reason: null };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        if (!options.askToReopen) return { outcome: 'abandoned', rounds: round, loaded: null, reason: `${error.message} (no terminal to reopen the editor on)` };
        options.warn(error.message);
        if (!(await options.askToReopen())) return { outcome: 'abandoned', rounds: round, loaded: null, reason: 'not valid, and not reopened' };
        handed = withProblems(text, error.message);
        await writeFile(copy, handed, 'utf8');
      }
    }
    return { outcome: 'abandoned', rounds: maxRounds, loaded: null, reason: `still invalid after ${maxRounds} rounds` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The copy handed back to the editor: the problems as comment lines on top. */
export function withProblems(text: string, problem: string): string {
  const lines = [
    'this watchlist is not valid, so it was not saved:',
    ...problem.split('\n').map((l) => `  ${l.trim()}`),
    'fix it and save to try again; save it unchanged, or quit with an error (:cq in vi), to give up.',
    'these lines are removed when you save.',
  ];
  return `${lines.map((l) => `${MARK}${l}`.trimEnd()).join('\n')}\n${text}`;
}

/** Removes the `# presswatch:` lines this module put at the top. */
export function stripProblems(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i]!.startsWith(MARK) || lines[i] === MARK.trimEnd())) i++;
  return lines.slice(i).join('\n');
}

/**
 * Runs the editor the way git does: through the shell, so "code --wait" or an
 * editor path with arguments works, with the file passed as an argument (never
 * pasted into the command line).
 */
function runEditor(editor: string, file: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = process.platform === 'win32' ? spawn(`${editor} "${file}"`, { shell: true, stdio: 'inherit', env }) : spawn('/bin/sh', ['-c', `${editor} "$@"`, editor, file], { stdio: 'inherit', env });
    child.on('error', (error) => reject(new ConfigError(`cannot start the editor "${editor}": ${error.message}`)));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
