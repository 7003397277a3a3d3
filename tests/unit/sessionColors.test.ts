import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { colorForId, sessionColors } from '../../shared/domain/color';

/** Accounts whose own colours differ from each other's (and from those of `others`). */
function distinctPeople(n: number, others: string[] = []): string[] {
  const people: string[] = [];
  while (people.length < n) {
    const id = randomUUID();
    if (![...people, ...others].some((p) => colorForId(p) === colorForId(id))) people.push(id);
  }
  return people;
}

describe('session colours', () => {
  // A walk (4 Dec): by join order, one therapist was blue in one note and orange in the next.
  it('give each person their own colour in every session, whatever the order they joined in', () => {
    const [anna, ben, sue] = distinctPeople(3);
    const group = sessionColors([anna!, ben!, sue!]);
    const couple = sessionColors([ben!, anna!]);
    for (const id of [anna!, ben!]) expect([group.get(id), couple.get(id)]).toEqual([colorForId(id), colorForId(id)]);
  });

  it('give a later member whose own colour is taken the next one nobody in the session has', () => {
    const [first] = distinctPeople(1);
    let twin = randomUUID();
    while (colorForId(twin) !== colorForId(first!)) twin = randomUUID();
    const colors = sessionColors([first!, twin]);
    expect(colors.get(first!)).toBe(colorForId(first!));
    expect(colors.get(twin)).not.toBe(colorForId(twin));
    // Eight members, however their own colours collide: eight colours.
    expect(new Set(sessionColors([first!, twin, ...Array.from({ length: 6 }, () => randomUUID())]).values()).size).toBe(8);
  });
});
