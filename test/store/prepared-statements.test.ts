import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { preparedOnUse } from '../../src/store/prepared-statements.js';

describe('preparedOnUse', () => {
  it('prepares a statement when it is first used, then keeps that one', () => {
    const db = new Database(':memory:');
    const statements = preparedOnUse(db, { count: 'SELECT count(*) AS n FROM notes', broken: 'SELEKT nothing' });
    // The table comes after: nothing was prepared yet, or this statement would have failed.
    db.exec('CREATE TABLE notes (text TEXT)');
    db.exec("INSERT INTO notes VALUES ('a'), ('b')");
    assert.deepEqual(statements.count.get(), { n: 2 });
    assert.equal(statements.count, statements.count, 'the same statement on every use');
    assert.throws(() => statements.broken, /syntax error/, 'a bad statement fails where it is used');
    assert.deepEqual(Object.keys(statements).sort(), ['broken', 'count']);
    db.close();
  });
});
