import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenizeText } from '../../src/dedupe/fingerprint.js';
import { newsConcepts } from '../../src/dedupe/news-lexicon.js';

const concepts = (text: string) => newsConcepts(tokenizeText(text)).sort();

describe('newsConcepts: words with two meanings', () => {
  it('reads "feu vert" as a go-ahead and "nous avions" as the verb, not a fire or planes', () => {
    assert.deepEqual(concepts('Le Sénat donne son feu vert au texte'), ['c:parliament']);
    assert.deepEqual(concepts('« Nous n’avions pas le choix », dit la ministre'), []);
    assert.deepEqual(concepts('Si nous avions su, nous aurions agi'), []);
    // The nouns keep their meaning.
    assert.deepEqual(concepts('Un feu de forêt près des avions au sol'), ['c:aircraft', 'c:fire']);
  });

  it('does not read "don\'t" as a donation, while French "dons" still are aid', () => {
    assert.deepEqual(concepts("We don't know yet"), []);
    assert.deepEqual(concepts('Les dons affluent après le séisme'), ['c:aid', 'c:earthquake']);
  });
});
