/** Runs `worker` over `inputs` with at most `limit` in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(inputs: readonly T[], limit: number, worker: (input: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, async () => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await worker(inputs[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
