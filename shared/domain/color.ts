/** Calm, distinguishable caret colours (WCAG AA against white for text labels). */
const PALETTE = ['#1f6feb', '#b35900', '#7a3db8', '#0f7b6c', '#c2255c', '#5c6ac4', '#2b7a0b', '#9c4221'];

/** Deterministic colour for an account id, so a person has the same colour on every device. */
export function colorForId(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? PALETTE[0]!;
}

/**
 * Colours for the members of one session, in the order they joined: each person's own colour
 * (colorForId), so a therapist has one colour in every note, review and chart (by join order, Anna
 * was blue in one note and orange in the next: walk, 4 Dec), except where an earlier member has it
 * already: then the next colour of the palette nobody in the session has. Distinct for the first
 * eight, so two co-therapists never share a caret colour.
 */
export function sessionColors(memberIdsByJoinOrder: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const colors = new Map<string, string>();
  for (const id of memberIdsByJoinOrder) {
    const own = PALETTE.indexOf(colorForId(id));
    const free = PALETTE.map((_, k) => PALETTE[(own + k) % PALETTE.length]!).find((c) => !taken.has(c)) ?? PALETTE[own]!;
    taken.add(free);
    colors.set(id, free);
  }
  return colors;
}
