/** A title this function dated: "Tuesday group, 7 Dec", or "…, 7 Dec (2)" for the second that day. */
const DATED = /^(.*), (\d{1,2} [A-Z][a-z]{2,3})(?: \((\d+)\))?$/;

/**
 * The title the next session of a recurring group starts with: the last number in the title one
 * up ("Tuesday group, week 6" → "…, week 7"), else the title with the day it is made on
 * ("Tuesday group" → "Tuesday group, 7 Dec"), so two sessions of a group never share a name. A
 * title dated so gets the new day instead ("…, 4 Dec" → "…, 11 Dec"; its day is no week number to
 * count on: walk, 4 Dec, "4 Dec" became "5 Dec"), and a count when it is the same day
 * ("…, 4 Dec" → "…, 4 Dec (2)"). `day` is the date to name (the caller's local day).
 */
export function nextSessionTitle(title: string, day: Date): string {
  const today = day.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  const dated = DATED.exec(title);
  if (dated) {
    const [, base, date, count] = dated;
    return date === today ? `${base}, ${today} (${Number(count ?? 1) + 1})` : `${base}, ${today}`;
  }
  const numbered = /^(.*?)(\d+)(\D*)$/.exec(title);
  if (numbered) return `${numbered[1]}${Number(numbered[2]) + 1}${numbered[3]}`;
  return `${title}, ${today}`;
}
