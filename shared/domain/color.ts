/**
 * Calm caret and author colours (WCAG AA against white for text labels), in four families of two
 * shades each: blue, orange, green and purple. Two shades of a family are told apart beside each
 * other but not in a note's running text (a walk: a teal and a green author read as one writer),
 * so a session gives its members different families while one is free (sessionColors).
 */
const FAMILIES = [
  ['#1f6feb', '#5c6ac4'],
  ['#b35900', '#9c4221'],
  ['#0f7b6c', '#2b7a0b'],
  ['#7a3db8', '#c2255c'],
] as const;

/** Every colour, in the order colorForId picks from (kept as it was, so nobody's own colour changed). */
const PALETTE: readonly string[] = ['#1f6feb', '#b35900', '#7a3db8', '#0f7b6c', '#c2255c', '#5c6ac4', '#2b7a0b', '#9c4221'];

/** Which family (0–3) a palette colour belongs to; -1 for a colour not in the palette. */
export function colorFamily(color: string): number {
  return FAMILIES.findIndex((family) => (family as readonly string[]).includes(color));
}

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
 * or its family: then the next colour of the palette whose family nobody in the session has, or,
 * past four members, the next colour nobody has. The first four have four families, the first
 * eight eight colours, so two co-therapists never share a caret colour or a shade of one.
 */
export function sessionColors(memberIdsByJoinOrder: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const colors = new Map<string, string>();
  for (const id of memberIdsByJoinOrder) {
    const own = PALETTE.indexOf(colorForId(id));
    const inTurn = PALETTE.map((_, k) => PALETTE[(own + k) % PALETTE.length]!);
    const takenFamilies = new Set([...taken].map(colorFamily));
    const free = inTurn.find((c) => !takenFamilies.has(colorFamily(c))) ?? inTurn.find((c) => !taken.has(c)) ?? PALETTE[own]!;
    taken.add(free);
    colors.set(id, free);
  }
  return colors;
}
