import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hardPairJoins, loadEventItems, loadGrouping, loadHardPairs, recallWhere, runGrouping, scorePartition } from '../../bench/event-sets.js';

/**
 * Issue 17 on presswatch's own held-out set (test/fixtures/events-heldout: other
 * topics than the development set): what the issue demands of precision and of
 * the hard pairs. Recall is printed, not asserted: the recall target is
 * not met on every set yet, and a figure merely measured is no requirement.
 */
describe('same-event grouping on the held-out set', async () => {
  const items = loadEventItems();
  const hard = loadHardPairs();
  const run = runGrouping(await loadGrouping(), items);

  it('reads the set the README describes', () => {
    const events = new Set(items.map((x) => x.event));
    assert.equal(items.length, 70);
    assert.equal(events.size, 20);
    assert.ok(hard.filter((p) => p.kind === 'confusable').length >= 8 && hard.filter((p) => p.kind === 'follow-up').length >= 3, 'hard pairs parsed from the README');
    for (const p of hard) assert.ok(events.has(p.a) && events.has(p.b), `${p.a} ~ ${p.b}: no such event`);
    // Independent reports, none a copy of another: the digest's grouping of one page is then the event grouping alone.
    assert.deepEqual(run.copyPairs, []);
  });

  it('joins reports of one event with pairwise precision of at least 0.90', (t) => {
    const score = scorePartition(items, run.story);
    const cross = recallWhere(items, run.story, (a, b) => a.lang !== b.lang);
    t.diagnostic(`pairwise P ${score.pairwise.precision.toFixed(3)} R ${score.pairwise.recall.toFixed(3)}, B-cubed F1 ${score.bcubed.f1.toFixed(3)}, fr-en recall ${cross.found}/${cross.pairs}`);
    assert.ok(score.pairwise.predicted > 0, 'no pair joined: precision undefined');
    assert.ok(score.pairwise.precision >= 0.9, `precision ${score.pairwise.precision.toFixed(3)}`);
  });

  it('joins no confusable or follow-up pair', () => {
    const joined = hardPairJoins(items, run.story, hard).filter((j) => j.itemPairs > 0);
    assert.deepEqual(
      joined.map((j) => `${j.kind} ${j.a}~${j.b}`),
      [],
    );
  });
});
