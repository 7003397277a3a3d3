import fs from 'node:fs';

/**
 * A check that the database file open here is still the one at its path. Removed or replaced
 * while open (an operator's `rm`, a restore copied over it), SQLite goes on writing into the old
 * file, which the next start no longer finds: every edit in between was said to be saved and was
 * lost, every account with it, and first-run setup stood open again (operator fault test, 2 Dec).
 * Throws, with code `TANDEM_DB_FILE_GONE`, once the path names another file or none; the write
 * then fails as any storage failure does (clients told, /healthz failing, kept and retried).
 */
export function fileIdentity(file: string): () => void {
  const opened = fs.statSync(file);
  return () => {
    let now: fs.Stats | null = null;
    try {
      now = fs.statSync(file);
    } catch {
      // Gone: said below.
    }
    if (now?.ino === opened.ino && now.dev === opened.dev) return;
    throw Object.assign(new Error(`the database file ${file} was ${now ? 'replaced' : 'removed'} while Tandem had it open; nothing more is stored until it is put back and Tandem restarted`), { code: 'TANDEM_DB_FILE_GONE' });
  };
}
