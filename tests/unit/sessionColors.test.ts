import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { colorFamily, colorForId, sessionColors } from '../../shared/domain/color';

/** Accounts whose own colours are of different families (see colorFamily). */
function distinctPeople(n: number): string[] {
  const people: string[] = [];
  while (people.length < n) {
    const id = randomUUID();
    if (!people.some((p) => colorFamily(colorForId(p)) === colorFamily(colorForId(id)))) people.push(id);
  }
  return people;
}

/** An account whose own colour is `color`. */
function personOfColor(color: string): string {
  let id = randomUUID();
  while (colorForId(id) !== color) id = randomUUID();
  return id;
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
    const twin = personOfColor(colorForId(first!));
    const colors = sessionColors([first!, twin]);
    expect(colors.get(first!)).toBe(colorForId(first!));
    expect(colors.get(twin)).not.toBe(colorForId(twin));
    // Eight members, however their own colours collide: eight colours.
    expect(new Set(sessionColors([first!, twin, ...Array.from({ length: 6 }, () => randomUUID())]).values()).size).toBe(8);
  });

  // A walk: a teal and a green co-therapist read as one writer in the review's running text.
  it('give the first four members four colour families, whatever their own colours', () => {
    for (const [own, shade] of [['#0f7b6c', '#2b7a0b'], ['#1f6feb', '#5c6ac4'], ['#b35900', '#9c4221'], ['#7a3db8', '#c2255c']] as const) {
      expect(colorFamily(own)).toBe(colorFamily(shade));
      const [a, b] = [personOfColor(own), personOfColor(shade)];
      const colors = sessionColors([a, b]);
      expect(colors.get(a)).toBe(own);
      expect(colorFamily(colors.get(b)!)).not.toBe(colorFamily(own));
    }
    for (let round = 0; round < 50; round++) {
      const colors = [...sessionColors(Array.from({ length: 4 }, () => randomUUID())).values()];
      expect(new Set(colors.map(colorFamily)).size).toBe(4);
    }
  });
});
