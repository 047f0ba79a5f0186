import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { parseFeed } from '../../src/feed/parse-feed.js';
import { FeedParseError } from '../../src/feed/feed-parse-error.js';
import { TaskThread } from '../../src/io/task-thread.js';
import { parseFeedOffThread } from '../../src/pipeline/feed-parser-thread.js';
import { packTextsOffThread } from '../../src/store/pack-thread.js';
import { packText, unpackText } from '../../src/store/packed-text.js';
import type { TestTask } from '../helpers/task-thread-worker.js';

const WORKER = new URL('../helpers/task-thread-worker.js', import.meta.url);
type Answer = { text: string; threadId: number };

/** What the calling thread does with a task when the thread cannot: the same answer, marked as ours. */
async function runHere(task: TestTask): Promise<Answer> {
  if (task.kind === 'answer') return { text: task.text.toUpperCase(), threadId };
  if (task.kind === 'throw') throw new Error('ran here');
  return { text: 'ran here', threadId };
}

describe('TaskThread', () => {
  it('runs tasks on another thread, many at once, each answer to its task', async () => {
    const thread = new TaskThread<TestTask, Answer>(WORKER, runHere, { heapMb: 32 });
    const answers = await Promise.all(['un', 'deux', 'trois', 'quatre'].map((text) => thread.run({ kind: 'answer', text })));
    assert.deepEqual(
      answers.map((a) => a.text),
      ['UN', 'DEUX', 'TROIS', 'QUATRE'],
    );
    for (const a of answers) assert.notEqual(a.threadId, threadId);
    await TaskThread.stopIdle();
  });

  it("gives a task's error back with its message, as the class reviveError makes of it", async () => {
    const thread = new TaskThread<TestTask, Answer>(WORKER, runHere, { heapMb: 32, reviveError: (f) => (f.name === 'RangeError' ? new RangeError(f.message) : new Error(f.message)) });
    await assert.rejects(thread.run({ kind: 'throw', message: 'trop long' }), (error: unknown) => error instanceof RangeError && error.message === 'trop long');
    // The thread is still there for the next task.
    assert.equal((await thread.run({ kind: 'answer', text: 'encore' })).text, 'ENCORE');
    await TaskThread.stopIdle();
  });

  it('runs the tasks of a thread that died on the calling thread, and starts another for the next', async () => {
    const thread = new TaskThread<TestTask, Answer>(WORKER, runHere, { heapMb: 32 });
    const [died, alongside] = await Promise.all([thread.run({ kind: 'die' }), thread.run({ kind: 'answer', text: 'pendant' })]);
    assert.equal(died.text, 'ran here');
    assert.equal(died.threadId, threadId);
    assert.equal(alongside.text, 'PENDANT');
    const next = await thread.run({ kind: 'answer', text: 'après' });
    assert.equal(next.text, 'APRÈS');
    assert.notEqual(next.threadId, threadId);
    await TaskThread.stopIdle();
  });

  it('with startAfter, runs tasks here until that much work has come, then on its thread', async () => {
    const thread = new TaskThread<TestTask, Answer>(WORKER, runHere, { heapMb: 32, startAfter: { work: 10, weigh: (task) => (task.kind === 'answer' ? task.text.length : 0) } });
    const first = await thread.run({ kind: 'answer', text: 'quatre' });
    const second = await thread.run({ kind: 'answer', text: 'cinq5' });
    const third = await thread.run({ kind: 'answer', text: 'six' });
    assert.deepEqual([first.threadId, second.threadId], [threadId, threadId], '6 then 11 characters: the first two run here');
    assert.notEqual(third.threadId, threadId);
    assert.equal(third.text, 'SIX');
    await TaskThread.stopIdle();
  });

  it('after three deaths, runs every task on the calling thread', async () => {
    const thread = new TaskThread<TestTask, Answer>(WORKER, runHere, { heapMb: 32 });
    for (let i = 0; i < 3; i++) await thread.run({ kind: 'die' });
    const answer = await thread.run({ kind: 'answer', text: 'ici' });
    assert.equal(answer.text, 'ICI');
    assert.equal(answer.threadId, threadId);
  });

  it('a thread that cannot start (no such module) leaves every task to the calling thread', async () => {
    const thread = new TaskThread<TestTask, Answer>(new URL('../helpers/no-such-worker.js', import.meta.url), runHere, { heapMb: 32 });
    const answers = await Promise.all([thread.run({ kind: 'answer', text: 'a' }), thread.run({ kind: 'answer', text: 'b' })]);
    assert.deepEqual(
      answers.map((a) => [a.text, a.threadId]),
      [
        ['A', threadId],
        ['B', threadId],
      ],
    );
  });
});

describe('the feed parser and the text packer on their threads', () => {
  const fixture = (name: string) => readFile(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

  it('parse a feed as parseFeed does here', async () => {
    // Past the work done on the main thread before the thread starts (2 M characters): a large feed first.
    const item = (n: number) => `<item><title>Dépêche ${n}</title><link>https://flux.example.fr/${n}</link><description>${'Le conseil a voté le budget. '.repeat(180)}</description></item>`;
    const large = `<rss version="2.0"><channel><title>Grand flux</title>${Array.from({ length: 400 }, (_, n) => item(n)).join('')}</channel></rss>`;
    assert.ok(large.length > 2_000_000);
    assert.equal((await parseFeedOffThread(large, 'https://flux.example.fr/rss.xml')).items.length, 400);
    for (const name of ['rss2-fr.xml', 'atom-fr.xml', 'rdf-fr.xml']) {
      const xml = await fixture(name);
      assert.deepEqual(await parseFeedOffThread(xml, 'https://flux.example.fr/rss.xml'), await parseFeed(xml, 'https://flux.example.fr/rss.xml'), name);
    }
    await TaskThread.stopIdle();
  });

  it('refuse what is not a feed with a FeedParseError, as parseFeed does', async () => {
    await assert.rejects(parseFeedOffThread('<!doctype html><html><body>Bonjour</body></html>', 'https://flux.example.fr/'), (error: unknown) => error instanceof FeedParseError && /HTML page/.test(error.message));
    await TaskThread.stopIdle();
  });

  it('pack texts as packText does here, short ones left as they are', async () => {
    await packTextsOffThread(['Un texte assez long pour être comprimé, répété. '.repeat(50_000)]);
    const texts = [
      'court',
      'La ministre a annoncé mardi un plan de relance pour les régions touchées par les inondations. '.repeat(5),
      '',
      'The minister announced on Tuesday a recovery plan for the flooded regions. '.repeat(3),
    ];
    const packed = await packTextsOffThread(texts);
    assert.deepEqual(
      packed.map((p) => unpackText(p)),
      texts,
    );
    assert.deepEqual(packed, texts.map(packText));
    assert.ok(Buffer.isBuffer(packed[1]));
    assert.equal(packed[0], 'court');
    await TaskThread.stopIdle();
  });
});
