/**
 * One letter per tag, so any tag is one key away in the palette: typing that letter puts the tag
 * first (preselected), and Enter applies it. Letters go in codebook order: the first letter of a
 * word of the name that is still free, else any free letter of the name. Digits stay for group
 * members. A codebook larger than the alphabet leaves the rest to type-ahead.
 */
import type { TagView } from '../../../shared/domain/tag';

const letters = (s: string) => s.normalize('NFD').toLowerCase().replace(/[^a-z]/g, '');

export function tagKeys(tags: readonly TagView[]): Map<string, string> {
  const taken = new Set<string>();
  const keys = new Map<string, string>();
  for (const tag of tags) {
    const words = tag.name.split(/[^\p{L}\p{N}]+/u).map(letters).filter(Boolean);
    const candidates = [...words.map((w) => w[0]!), ...letters(tag.name)];
    const key = candidates.find((c) => !taken.has(c));
    if (!key) continue;
    taken.add(key);
    keys.set(tag.id, key);
  }
  return keys;
}

/**
 * The tags the filter matches, best first: the tag whose key is the one letter typed, then names
 * that start with the filter, then names with a word that does, then names or descriptions that
 * contain it. An empty filter keeps the codebook's order.
 */
export function rankTags(tags: readonly TagView[], filter: string, keys: Map<string, string>): TagView[] {
  const q = filter.trim().toLowerCase();
  if (!q) return [...tags];
  const rank = (t: TagView): number => {
    const name = t.name.toLowerCase();
    if (keys.get(t.id) === q) return 0;
    if (name.startsWith(q)) return 1;
    if (name.split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(q))) return 2;
    if (name.includes(q) || t.description.toLowerCase().includes(q)) return 3;
    return 4;
  };
  return tags
    .map((t, i) => ({ t, i, r: rank(t) }))
    .filter((x) => x.r < 4)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.t);
}
