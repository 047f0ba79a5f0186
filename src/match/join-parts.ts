import { isFoldedStopWord } from '../text/stop-words.js';
import { GAP_JOIN_ALWAYS, GAP_JOIN_WORDS, type WordForms } from './normalize.js';

/**
 * A word written in two parts reads as one (docs/watchlists.md, "Words written
 * in two parts"): Pyong-Yang, Pyong Yang, PYONG-YANG and Pyong⏎Yang are all
 * Pyongyang, and a line-end hyphenation (inter-⏎national) is always the one word
 * too. The parts are read both ways: as two words, and, with joinedForms, as one.
 *
 * Never across a sentence end, a paragraph break or other punctuation (the
 * tokenizer says so in the gap before the second part). Across a space, a line
 * break or a hyphen, only two real parts join: each of at least two letters and
 * neither a stop word, so "I ran" is not Iran, "où est" not ouest, "vis-à-vis"
 * not visa.
 *
 * `gap` is what lies between the two parts, as `TokenBuffer.gaps` has it.
 */
export function mayJoin(first: WordForms, second: WordForms, gap: number): boolean {
  return (gap & GAP_JOIN_ALWAYS) !== 0 || ((gap & GAP_JOIN_WORDS) !== 0 && isPart(first) && isPart(second));
}

const MIN_PART_LENGTH = 2;

/** At least two letters and not a stop word: a word that may be one part of a word written in two. */
export function isPart(forms: WordForms): boolean {
  return forms.fold.length >= MIN_PART_LENGTH && !isFoldedStopWord(forms.fold);
}
