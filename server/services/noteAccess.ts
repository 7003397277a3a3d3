import { noteReadActions, type NoteReadWay } from '../../shared/domain/audit';
import type { AuditRecord, Store } from '../persistence/ports';

type Deps = { store: Pick<Store, 'audit'> };

/** One reader of a note, gathered from the audit log. */
export interface NoteReader {
  accountId: string;
  reads: number;
  firstAt: number;
  lastAt: number;
  ways: Set<NoteReadWay>;
}

const PAGE = 1000;

/** Every audit record of one session, newest first, a page at a time. */
async function* sessionAudit(store: Pick<Store, 'audit'>, sessionId: string): AsyncGenerator<AuditRecord & { id: number }> {
  let beforeId: number | undefined;
  for (;;) {
    const rows = await store.audit.list({ sessionId, limit: PAGE, ...(beforeId === undefined ? {} : { beforeId }) });
    yield* rows;
    if (rows.length < PAGE) return;
    beforeId = rows.at(-1)!.id;
  }
}

function wayOf(record: AuditRecord): NoteReadWay | null {
  if (!(noteReadActions as readonly string[]).includes(record.action)) return null;
  if (record.action === 'session_opened') return 'live';
  if (record.action === 'export') return 'export';
  return (record.detail.way as NoteReadWay | undefined) ?? null;
}

/**
 * Who has been sent the session's note content, how often, when, and how: most recent reader
 * first, as `viewerId` may see it. A therapist's reads of their own private observations (blind
 * mode) are shown to them alone: to the co-therapist, when and how often B opened that list told
 * when B was observing, which blind mode keeps apart (attack, 4 Dec). The audit log keeps them all.
 */
export async function noteReaders(deps: Deps, sessionId: string, viewerId: string): Promise<NoteReader[]> {
  const readers = new Map<string, NoteReader>();
  for await (const record of sessionAudit(deps.store, sessionId)) {
    const way = wayOf(record);
    if (!way || record.actorId === null) continue;
    if (way === 'private' && record.actorId !== viewerId) continue;
    const reader = readers.get(record.actorId) ?? { accountId: record.actorId, reads: 0, firstAt: record.at, lastAt: record.at, ways: new Set() };
    reader.reads++;
    reader.firstAt = Math.min(reader.firstAt, record.at);
    reader.lastAt = Math.max(reader.lastAt, record.at);
    reader.ways.add(way);
    readers.set(record.actorId, reader);
  }
  return Array.from(readers.values()).sort((a, b) => b.lastAt - a.lastAt);
}
