/** Calm, distinguishable caret colours (WCAG AA against white for text labels). */
const PALETTE = ['#1f6feb', '#b35900', '#7a3db8', '#0f7b6c', '#c2255c', '#5c6ac4', '#2b7a0b', '#9c4221'];

/** Deterministic colour for an account id, so a person has the same colour on every device. */
export function colorForId(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? PALETTE[0]!;
}

/**
 * Colours for the members of one session, in the order they joined: distinct for the first eight,
 * so two co-therapists never share a caret colour (a hash of the id could collide).
 */
export function sessionColors(memberIdsByJoinOrder: readonly string[]): Map<string, string> {
  return new Map(memberIdsByJoinOrder.map((id, i) => [id, PALETTE[i % PALETTE.length]!]));
}
