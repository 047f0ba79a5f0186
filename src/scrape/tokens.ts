/** Word count by the same rule the extraction benchmark uses (Unicode letters, numbers and underscore, as Python's \\w). */
export function tokenCount(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/[\p{L}\p{N}_]+/gu)) n++;
  return n;
}
