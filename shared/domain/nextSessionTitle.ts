/**
 * The title the next session of a recurring group starts with: the last number in the title one
 * up ("Tuesday group, week 6" → "…, week 7"), else the title with the day it is made on
 * ("Tuesday group" → "Tuesday group, 7 Dec"), so two sessions of a group never share a name.
 * `day` is the date to name (the caller's local day).
 */
export function nextSessionTitle(title: string, day: Date): string {
  const numbered = /^(.*?)(\d+)(\D*)$/.exec(title);
  if (numbered) return `${numbered[1]}${Number(numbered[2]) + 1}${numbered[3]}`;
  return `${title}, ${day.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}`;
}
