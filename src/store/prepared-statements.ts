import type Database from 'better-sqlite3';

/**
 * Named statements prepared on first use and kept: a run uses a few of the store's
 * dozens (a warm digest with nothing new, a handful), and preparing each costs
 * SQLite a parse and a plan at every start.
 */
export function preparedOnUse<K extends string>(db: Database.Database, sql: Readonly<Record<K, string>>): Readonly<Record<K, Database.Statement>> {
  const statements = {} as Record<K, Database.Statement>;
  for (const name of Object.keys(sql) as K[]) {
    Object.defineProperty(statements, name, {
      configurable: true,
      enumerable: true,
      get() {
        const statement = db.prepare(sql[name]);
        Object.defineProperty(statements, name, { value: statement, enumerable: true });
        return statement;
      },
    });
  }
  return statements;
}
