import { existsSync } from 'node:fs';
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A pure, CPU-heavy step (parsing a feed, packing texts) run on a thread of its own, so
 * that on a machine with a second core the main thread goes on storing and matching
 * meanwhile. The thread starts once enough work has come (`startAfter`; a run that has
 * little never starts it) and stays idle between tasks without keeping the process alive. When it cannot start,
 * or dies (its heap is capped), the tasks it held run on the calling thread instead
 * (`runHere`, the same function), and after MAX_DEATHS deaths every task does.
 */
/**
 * Characters of work done on the calling thread before a task thread starts: starting one costs
 * a few tens of milliseconds, which a daily digest (50 feeds, under 1 MB) never earns back.
 */
export const THREAD_WORTH_CHARS = 2_000_000;

export class TaskThread<In, Out> {
  private static readonly all = new Set<TaskThread<unknown, unknown>>();
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { input: In; resolve: (output: Out) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private deaths = 0;
  private workDone = 0;

  constructor(
    /** The worker's module (compiled .js; its .ts beside it when run from source): it calls serveTasks. */
    private readonly file: URL,
    private readonly runHere: (input: In) => Promise<Out>,
    private readonly options: {
      heapMb: number;
      reviveError?: (failure: TaskFailure) => Error;
      /** Work (in `weigh`'s unit, THREAD_WORTH_CHARS for characters) done on the calling thread before the thread starts. */
      startAfter?: { work: number; weigh: (input: In) => number };
    },
  ) {
    TaskThread.all.add(this as TaskThread<unknown, unknown>);
  }

  /**
   * Ends every task thread that has nothing to do, giving its memory back: at the end of a
   * refresh, before matching and clustering, whose peak is the process's. A later task starts
   * its thread again.
   */
  static async stopIdle(): Promise<void> {
    await Promise.all([...TaskThread.all].map((thread) => thread.stopIfIdle()));
  }

  private async stopIfIdle(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.pending.size > 0) return;
    this.worker = null;
    await worker.terminate();
  }

  run(input: In): Promise<Out> {
    const { startAfter } = this.options;
    if (startAfter && this.workDone < startAfter.work) {
      this.workDone += startAfter.weigh(input);
      return this.runHere(input);
    }
    const worker = this.worker ?? this.start();
    if (!worker) return this.runHere(input);
    const id = this.nextId++;
    return new Promise<Out>((resolve, reject) => {
      this.pending.set(id, { input, resolve, reject });
      // Waiting for an answer keeps the process alive; an idle thread does not.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, input });
    });
  }

  private start(): Worker | null {
    if (this.deaths >= MAX_DEATHS) return null;
    let worker: Worker;
    try {
      worker = startWorker(this.file, { resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }, stdout: false, stderr: false });
    } catch {
      this.deaths++;
      return null;
    }
    worker.unref();
    worker.on('message', (reply: TaskReply<Out>) => this.settle(worker, reply));
    worker.on('error', () => this.lose(worker));
    worker.on('exit', () => this.lose(worker));
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, reply: TaskReply<Out>): void {
    const task = this.pending.get(reply.id);
    if (!task) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) worker.unref();
    if ('output' in reply) task.resolve(reply.output);
    else task.reject(this.options.reviveError?.(reply.failure) ?? new Error(reply.failure.message));
  }

  /** The thread is gone: what it held runs here, and the next task starts another. */
  private lose(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.deaths++;
    const held = [...this.pending.values()];
    this.pending.clear();
    for (const task of held) this.runHere(task.input).then(task.resolve, task.reject);
    void worker.terminate();
  }
}

/** A task's garbage is short-lived, and a small young generation keeps each thread's memory small. */
const YOUNG_GENERATION_MB = 4;
/** After this many deaths (or failures to start) a task thread is not started again. */
const MAX_DEATHS = 3;

/** Why a task failed on its thread: its error's class name and message, for reviveError. */
export interface TaskFailure {
  name: string;
  message: string;
}

type TaskReply<Out> = { id: number; output: Out } | { id: number; failure: TaskFailure };

/** The worker's side: answers every task with `work`'s result, or its error. */
export function serveTasks<In, Out>(work: (input: In) => Out | Promise<Out>): void {
  const port = parentPort;
  if (!port) throw new Error('task thread: this module runs as a worker thread only (a bug)');
  port.on('message', ({ id, input }: { id: number; input: In }) => {
    Promise.resolve()
      .then(() => work(input))
      .then(
        (output) => port.postMessage({ id, output } satisfies TaskReply<Out>),
        (error: unknown) => {
          const failure = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
          port.postMessage({ id, failure } satisfies TaskReply<Out>);
        },
      );
  });
}

/**
 * Compiled, the worker is the .js file. Run from source (tests and benchmarks, under tsx), it is
 * the .ts beside it, which a worker can only load once tsx is registered in it: Node 20 does not
 * carry `--import` hooks into worker threads.
 */
function startWorker(file: URL, options: WorkerOptions): Worker {
  if (existsSync(file)) return new Worker(file, options);
  const source = file.href.replace(/\.js$/, '.ts');
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { ...options, eval: true });
}
