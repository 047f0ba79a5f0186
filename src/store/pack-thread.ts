import { TaskThread, THREAD_WORTH_CHARS } from '../io/task-thread.js';
import { isWorthPacking, packText } from './packed-text.js';

/**
 * Deflating a feed's texts costs about as much as parsing them (a third of a cold
 * refresh of full-content feeds): it runs on a thread of its own, before the
 * feed's transaction, so the main thread stores meanwhile.
 */
const thread = new TaskThread<string[], (string | Uint8Array)[]>(new URL('./pack-worker.js', import.meta.url), async (texts) => packTexts(texts), {
  heapMb: 32,
  startAfter: { work: THREAD_WORTH_CHARS, weigh: (texts) => texts.reduce((sum, text) => sum + text.length, 0) },
});

/** The texts packed (packText), in order. A packed text comes back as a Buffer. */
export async function packTextsOffThread(texts: readonly string[]): Promise<(string | Buffer)[]> {
  // Nothing to deflate (a 304, short texts): no round trip.
  if (!texts.some(isWorthPacking)) return [...texts];
  const packed = await thread.run([...texts]);
  return packed.map((value) => (typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)));
}

/** On the thread: each text packed, copied out of Buffer's shared pool (a message copies a view's whole buffer). */
export function packTexts(texts: readonly string[]): (string | Uint8Array)[] {
  return texts.map((text) => {
    const packed = packText(text);
    return typeof packed === 'string' ? packed : new Uint8Array(packed);
  });
}
