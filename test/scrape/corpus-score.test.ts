import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCorpus, locateCorpus, runExtractor, scoreBaseline, scorePage, scoreCorpus } from '../../bench/extract.js';

test('scorer: shingle multisets, per-page normalisation, averages as the corpus README states', () => {
  const same = scorePage('a', 'one two three four five', 'One two three four five');
  assert.deepEqual([same.tp, same.fp, same.fn, same.exact], [1, 1, 1, false]); // tokens are case-sensitive: only the second shingle matches
  const page = scorePage('b', 'a b c d e f', 'a b c d e x');
  assert.deepEqual([page.tp, page.fp, page.fn], [2, 1, 1]);
  const short = scorePage('c', 'hi there', 'hi there');
  assert.deepEqual([short.tp, short.fp, short.fn, short.exact], [1, 0, 0, true]);
  const unicode = scorePage('d', 'Привет, мир — это тест', 'Привет мир это тест');
  assert.equal(unicode.tp, 1);
  const s = scoreCorpus([page, short, scorePage('e', '', '')]);
  assert.equal(s.precision, (2 / 3 + 1 + 1) / 3);
  assert.equal(s.accuracy, 2 / 3);
});

test('corpus: the extractor is scored and reported; the stored baselines reproduce the README', (t) => {
  const corpus = loadCorpus();
  if (!corpus) {
    t.skip(`${locateCorpus()} absent (../shared not mounted)`);
    return;
  }
  const run = runExtractor(corpus);
  assert.equal(run.score.pages, corpus.ids.length);
  for (const value of [run.score.precision, run.score.recall, run.score.f1, run.score.accuracy]) assert.ok(value >= 0 && value <= 1);
  t.diagnostic(`presswatch F1 ${run.score.f1.toFixed(3)} P ${run.score.precision.toFixed(3)} R ${run.score.recall.toFixed(3)} on ${run.score.pages} pages`);
  // The scorer itself must agree with the figures published beside the corpus.
  const trafilatura = scoreBaseline(corpus, join(corpus.dir, 'baselines', 'trafilatura.json'));
  assert.equal(trafilatura.f1.toFixed(3), '0.958');
  assert.equal(trafilatura.precision.toFixed(3), '0.943');
  assert.equal(trafilatura.recall.toFixed(3), '0.974');
});
