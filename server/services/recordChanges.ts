import type { Store } from '../persistence/ports';

/**
 * When a group session's attendance or member labels last changed (ms; 0: never). They are part of
 * the signed record (its exports list them) but not of the note's digest, so a signature given
 * before such a change was given to a record that no longer stands (attack, 6 Dec: B set M2 late
 * and added a member after A signed, signed, and the note locked under A's signature). Read from
 * the audit records each change is stored with.
 */
export async function recordChangedAt(store: Pick<Store, 'audit'>, sessionId: string): Promise<number> {
  const [last] = await store.audit.list({ sessionId, actions: ['attendance_changed', 'group_members_changed'], limit: 1 });
  return last?.at ?? 0;
}
