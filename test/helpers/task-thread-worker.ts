/** A task thread for test/io/task-thread.test.ts: answers, throws, or dies, as the task asks. */
import { serveTasks } from '../../src/io/task-thread.js';
import { threadId } from 'node:worker_threads';

export type TestTask = { kind: 'answer'; text: string } | { kind: 'throw'; message: string } | { kind: 'die' };

serveTasks((task: TestTask) => {
  if (task.kind === 'throw') throw new RangeError(task.message);
  if (task.kind === 'die') process.exit(3);
  return { text: task.text.toUpperCase(), threadId };
});
