/**
 * A deliberately light stemmer for French and English, applied to a word
 * already normalised by normalizeTerm (lower case, no accents). It only folds
 * inflections that news text varies freely, so that "liaisons aériennes" and
 * "liaison aérienne", or "flights" and "flight", share one key:
 *
 *   1. plural: -ies → -y (countries), -aux → -al (internationaux), else a final
 *      -s or -x is dropped (not after s or u: "press", "virus" stay);
 *   2. feminine/silent e: a final -e is dropped, then a doubled n, l or t is
 *      halved (aerienne → aerien, mutuelle → mutuel, nette → net).
 *
 * Words of three letters or fewer and words holding digits are left alone.
 * The result is a key, not a word: "defense" becomes "defens".
 */
export function stemTerm(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('aux') && w.length > 5) w = `${w.slice(0, -3)}al`;
  else if (/[sx]$/.test(w) && !/[su][sx]$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) {
    w = w.slice(0, -1);
    if (/(nn|ll|tt)$/.test(w)) w = w.slice(0, -1);
  }
  return w;
}
