import { UsageError } from '../errors.js';
import { describeDatabaseUrl } from './database-url.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Where the store is: a PostgreSQL URL (--database, PRESSWATCH_DATABASE_URL), else the SQLite file in the data dir. */
export interface StoreLocation {
  databaseUrl: string | null;
  databaseFile: string;
}

/** Opens the store the user chose; node-postgres is loaded only when a database URL is given. */
export async function openStore(where: StoreLocation): Promise<Store> {
  if (where.databaseUrl === null) return openSqliteStore(where.databaseFile);
  if (!/^postgres(ql)?:\/\//.test(where.databaseUrl)) {
    throw new UsageError(`--database: expected a postgres:// or postgresql:// URL, got "${describeDatabaseUrl(where.databaseUrl)}"`);
  }
  const { openPostgresStore } = await import('./postgres-store.js');
  return openPostgresStore(where.databaseUrl);
}
