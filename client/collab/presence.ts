/**
 * Who is connected to the note, from the awareness states. The server overwrites each state's
 * `user` with the identity it attested, so names and colours here are not the client's claim.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { MemberView } from '../../shared/domain/session';

export interface Person {
  /** Awareness client id of one of the person's connections. */
  clientId: number;
  name: string;
  color: string;
  /** Supervisors watch; they do not write. */
  isWatching: boolean;
  isSelf: boolean;
}

/** The server stamps `{name, color, role, accountId}`; our own local state has only name and colour. */
interface AwarenessUser {
  accountId?: unknown;
  name?: unknown;
  color?: unknown;
  role?: unknown;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Finds the member an awareness user stands for: by attested id when present, else by name. */
function memberFor(user: AwarenessUser, members: MemberView[]): MemberView | undefined {
  const id = asString(user.accountId);
  if (id) return members.find((m) => m.userId === id);
  return members.find((m) => m.name === user.name);
}

function toPerson(clientId: number, user: AwarenessUser, members: MemberView[], selfId: number): Person {
  const member = memberFor(user, members);
  const role = asString(user.role) ?? member?.role ?? null;
  return {
    clientId,
    name: asString(user.name) ?? member?.name ?? 'Someone',
    color: asString(user.color) ?? member?.color ?? '#6b7280',
    isWatching: role === 'supervisor',
    isSelf: clientId === selfId,
  };
}

/** One entry per person (a person with two tabs open appears once), yourself first. */
export function readPresence(awareness: Awareness, members: MemberView[]): Person[] {
  const selfId = awareness.clientID;
  const byKey = new Map<string, Person>();
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: AwarenessUser }).user;
    if (!user) continue;
    const person = toPerson(clientId, user, members, selfId);
    const key = `${person.name}\u0000${person.color}`;
    if (!byKey.has(key) || person.isSelf) byKey.set(key, person);
  }
  return [...byKey.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
}

const NO_PEOPLE: Person[] = [];

/** The connected people, re-read whenever an awareness state is added, changed or removed. */
export function usePresence(awareness: Awareness | null, members: MemberView[]): Person[] {
  const store = useMemo(() => {
    let cache: { key: string; people: Person[] } = { key: '', people: NO_PEOPLE };
    return {
      subscribe(listener: () => void) {
        awareness?.on('change', listener);
        return () => awareness?.off('change', listener);
      },
      getSnapshot(): Person[] {
        if (!awareness) return NO_PEOPLE;
        const people = readPresence(awareness, members);
        // Cursor moves also fire 'change': only hand React a new array when the list differs.
        const key = JSON.stringify(people);
        if (key !== cache.key) cache = { key, people };
        return cache.people;
      },
    };
  }, [awareness, members]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
