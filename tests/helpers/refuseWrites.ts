import path from 'node:path';
import Database from 'better-sqlite3';
import { deferCleanup } from './services';

/** Where each kind of write lands, for `refuseWrites`. */
export type Refused = 'note' | 'audit' | 'logins' | 'check' | 'notices' | 'purge';

const TRIGGERS: Record<Refused, string[]> = {
  note: ['BEFORE INSERT ON doc_updates'],
  audit: ['BEFORE INSERT ON audit_log'],
  logins: ['BEFORE INSERT ON logins', 'BEFORE UPDATE ON logins'],
  notices: ['BEFORE INSERT ON supervisor_notices'],
  // Deleting a note's log (process notes removed for good).
  purge: ['BEFORE DELETE ON doc_updates'],
  // The write a health check makes when nothing else was written lately (Store.checkWrite).
  check: ['BEFORE UPDATE ON schema_migrations'],
};

/**
 * Makes a test server's SQLite database refuse some writes as a full disk would ("database or disk
 * is full"), from a second connection, until the returned function is called. With `onlyIf` (an
 * SQL condition on `NEW`), only the rows it holds for are refused.
 */
export function refuseWrites(dataDir: string, kinds: Refused[], onlyIf?: string): () => void {
  const db = new Database(path.join(dataDir, 'tandem.db'));
  const names = kinds.flatMap((kind) => TRIGGERS[kind].map((when, i) => ({ name: `refuse_${kind}_${i}`, when: onlyIf ? `${when} FOR EACH ROW WHEN ${onlyIf}` : when })));
  for (const { name, when } of names) db.exec(`CREATE TRIGGER ${name} ${when} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    for (const { name } of names) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
    db.close();
  };
  deferCleanup(restore);
  return restore;
}
