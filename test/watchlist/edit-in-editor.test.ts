import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { editInEditor, resolveEditor, stripProblems, withProblems } from '../../src/config/edit-in-editor.js';

const ORIGINAL = '# my watchlist\nname: w\nkeywords:\n  - alpha\n';

/**
 * A scripted "editor": run N copies its last argument (the file) to log-N (what the person
 * would have seen), then replaces it with step-N if that file exists, and exits
 * with the status in exit-N if that exists.
 */
const EDITOR_SCRIPT = `#!/bin/sh
dir=$(dirname "$0")
for file; do :; done
n=$(cat "$dir/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$dir/count"
cp "$file" "$dir/log-$n"
if [ -f "$dir/step-$n" ]; then cp "$dir/step-$n" "$file"; fi
if [ -f "$dir/exit-$n" ]; then exit "$(cat "$dir/exit-$n")"; fi
exit 0
`;

describe('editInEditor', { skip: process.platform === 'win32' ? 'the scripted editor is a POSIX shell script' : false }, () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'presswatch-editor-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function setUp(name: string, steps: Record<number, string>, exits: Record<number, number> = {}) {
    const dir = join(root, name);
    await mkdir(dir);
    const editor = join(dir, 'editor.sh');
    await writeFile(editor, EDITOR_SCRIPT);
    await chmod(editor, 0o755);
    for (const [n, text] of Object.entries(steps)) await writeFile(join(dir, `step-${n}`), text);
    for (const [n, code] of Object.entries(exits)) await writeFile(join(dir, `exit-${n}`), String(code));
    const file = join(dir, 'w.yaml');
    await writeFile(file, ORIGINAL);
    const warnings: string[] = [];
    let asked = 0;
    // The person at the terminal, answering "reopen?" with yes every time.
    const askToReopen = async () => {
      asked++;
      return true;
    };
    return { dir, editor, file, warnings, warn: (m: string) => warnings.push(m), askToReopen, asked: () => asked };
  }

  test('an invalid save, once the person says reopen, reopens the copy with the problems on top; the fixed one is saved', async () => {
    const s = await setUp('reopen', {
      1: '# my watchlist\nname: w\nkeywords: [unclosed\n',
      2: '# my watchlist, fixed\nname: w\nkeywords:\n  - alpha\n  - beta\n',
    });
    const result = await editInEditor(s.file, { editor: s.editor, warn: s.warn, askToReopen: s.askToReopen });
    assert.equal(s.asked(), 1);
    assert.equal(result.outcome, 'saved');
    assert.equal(result.rounds, 2);
    assert.deepEqual(
      result.loaded?.watchlist.keywords.map((k) => k.term),
      ['alpha', 'beta'],
    );
    assert.equal(await readFile(s.file, 'utf8'), '# my watchlist, fixed\nname: w\nkeywords:\n  - alpha\n  - beta\n');
    // What the editor showed the second time: the problem, then the person's invalid text.
    const second = await readFile(join(s.dir, 'log-2'), 'utf8');
    assert.match(second, /^# presswatch: this watchlist is not valid, so it was not saved:\n# presswatch: {3}not saved, the result would be invalid: .*w\.yaml \(line \d+, column \d+\): malformed YAML/);
    assert.ok(second.endsWith('\n# my watchlist\nname: w\nkeywords: [unclosed\n'));
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0]!, /malformed YAML/);
    assert.deepEqual(
      (await readdir(s.dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('a schema error (not only a YAML error) also reopens, and the problem lines are stripped before saving', async () => {
    const s = await setUp('schema', {
      1: 'name: w\nkeywords: []\n',
      // The person keeps the presswatch lines and fixes below them: they are removed.
      2: withProblems('name: w\nkeywords: [gamma]\n', 'keywords: empty'),
    });
    const result = await editInEditor(s.file, { editor: s.editor, warn: s.warn, askToReopen: s.askToReopen });
    assert.equal(result.outcome, 'saved');
    assert.equal(await readFile(s.file, 'utf8'), 'name: w\nkeywords: [gamma]\n');
    assert.match(await readFile(join(s.dir, 'log-2'), 'utf8'), /# presswatch: {3}.*keywords: empty; list at least one/);
  });

  test('saving the reopened copy unchanged gives up and leaves the file', async () => {
    const s = await setUp('give-up', { 1: 'keywords: [unclosed\n' });
    const result = await editInEditor(s.file, { editor: s.editor, warn: s.warn, askToReopen: s.askToReopen });
    assert.equal(result.outcome, 'abandoned');
    assert.equal(result.rounds, 2);
    assert.match(result.reason!, /without fixing/);
    assert.equal(await readFile(s.file, 'utf8'), ORIGINAL);
  });

  test('without a terminal to ask on, an invalid save ends the edit after one attempt, with the problem in the reason', async () => {
    // The editor would write invalid YAML every time it is opened.
    const invalid = 'name: w\nkeywords: [unclosed\n';
    const s = await setUp('no-tty', { 1: invalid, 2: invalid, 3: invalid });
    const result = await editInEditor(s.file, { editor: s.editor, warn: s.warn });
    assert.deepEqual([result.outcome, result.rounds], ['abandoned', 1]);
    assert.match(result.reason!, /^not saved, the result would be invalid: .*malformed YAML.*\(no terminal to reopen the editor on\)$/s);
    assert.equal(await readFile(join(s.dir, 'count'), 'utf8'), '1\n');
    // One message: the reason, which the caller prints; nothing was warned on the way.
    assert.deepEqual(s.warnings, []);
    assert.equal(await readFile(s.file, 'utf8'), ORIGINAL);
  });

  test('answering no to "reopen?" gives up after the problem was shown once', async () => {
    const s = await setUp('declined', { 1: 'name: w\nkeywords: []\n' });
    let asked = 0;
    const result = await editInEditor(s.file, {
      editor: s.editor,
      warn: s.warn,
      askToReopen: async () => {
        asked++;
        return false;
      },
    });
    assert.deepEqual([result.outcome, result.rounds, asked], ['abandoned', 1, 1]);
    assert.match(result.reason!, /not reopened/);
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0]!, /keywords: empty/);
    assert.equal(await readFile(s.file, 'utf8'), ORIGINAL);
  });

  test('an editor exiting non-zero leaves the file, even after writing something', async () => {
    const s = await setUp('cq', { 1: 'name: w\nkeywords: [changed]\n' }, { 1: 1 });
    const result = await editInEditor(s.file, { editor: s.editor, warn: s.warn });
    assert.deepEqual([result.outcome, result.rounds], ['abandoned', 1]);
    assert.match(result.reason!, /exited with 1/);
    assert.equal(await readFile(s.file, 'utf8'), ORIGINAL);
  });

  test('no change is reported as unchanged and the file is not rewritten', async () => {
    const s = await setUp('same', {});
    const result = await editInEditor(s.file, { editor: s.editor, warn: s.warn });
    assert.deepEqual([result.outcome, result.rounds], ['unchanged', 1]);
    assert.equal(await readFile(s.file, 'utf8'), ORIGINAL);
  });

  test('an editor command with arguments runs through the shell; a missing one says so', async () => {
    const s = await setUp('args', { 1: 'name: w\nkeywords: [delta]\n' });
    const result = await editInEditor(s.file, { editor: `${s.editor} --wait`, warn: s.warn });
    assert.equal(result.outcome, 'saved');
    assert.equal(await readFile(s.file, 'utf8'), 'name: w\nkeywords: [delta]\n');
    const missing = await editInEditor(s.file, { editor: join(s.dir, 'no-such-editor'), warn: s.warn });
    assert.equal(missing.outcome, 'abandoned');
    assert.match(missing.reason!, /not found/);
  });
});

describe('editor helpers', () => {
  test('resolveEditor prefers VISUAL, then EDITOR, then the platform default', () => {
    assert.equal(resolveEditor({ VISUAL: 'code --wait', EDITOR: 'nano' }, 'linux'), 'code --wait');
    assert.equal(resolveEditor({ EDITOR: 'nano' }, 'linux'), 'nano');
    assert.equal(resolveEditor({}, 'linux'), 'vi');
    assert.equal(resolveEditor({ VISUAL: '  ' }, 'win32'), 'notepad');
  });
  test('stripProblems removes exactly the lines withProblems added', () => {
    const text = '# presswatch-like comment of the person\nname: w\n';
    assert.equal(stripProblems(withProblems(text, 'a\nb')), text);
    assert.equal(stripProblems(text), text);
  });
});
