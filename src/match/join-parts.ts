import { isFoldedStopWord } from '../text/stop-words.js';
import { joinedForms, type Token } from './normalize.js';

/**
 * A word written in two parts reads as one (docs/watchlists.md, "Words written
 * in two parts"): Pyong-Yang, Pyong Yang, PYONG-YANG and Pyong⏎Yang are all
 * Pyongyang, and a line-end hyphenation (inter-⏎national) is always the one word
 * too. The parts are read both ways: as two words, and, here, as one.
 *
 * Never across a sentence end, a paragraph break or other punctuation (the
 * tokenizer says so in `joinBefore`). Across a space, a line break or a hyphen,
 * only two real parts join: each of at least two letters and neither a stop
 * word, so "I ran" is not Iran, "où est" not ouest, "vis-à-vis" not visa.
 */
export function joinParts(first: Token, second: Token): Token | null {
  if (!mayJoin(first, second)) return null;
  const forms = joinedForms(first.forms, second.forms);
  if (forms === null) return null;
  return { start: first.start, end: second.end, forms, breakBefore: first.breakBefore, joinBefore: first.joinBefore, position: first.position };
}

/** Whether the two may be read as one at all, before their forms are worked out. */
export function mayJoin(first: Token, second: Token): boolean {
  return second.joinBefore === 'always' || (second.joinBefore === 'words' && isPart(first) && isPart(second));
}

const MIN_PART_LENGTH = 2;

function isPart(token: Token): boolean {
  return token.forms.fold.length >= MIN_PART_LENGTH && !isFoldedStopWord(token.forms.fold);
}
