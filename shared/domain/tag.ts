import { z } from 'zod';

export interface TagView {
  id: string;
  name: string;
  color: string;
  description: string;
  retired: boolean;
}

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #1f6feb');
export const createTagBodySchema = z
  .object({ name: z.string().trim().min(1).max(40), color, description: z.string().trim().max(300).default('') })
  .strict();
export const updateTagBodySchema = z
  .object({ name: z.string().trim().min(1).max(40).optional(), color: color.optional(), description: z.string().trim().max(300).optional(), retired: z.boolean().optional() })
  .strict();

/** The default codebook: the observation tags co-therapy teams use most. Ids are stable slugs so every process seeds the same rows. */
export const DEFAULT_TAGS: Omit<TagView, 'retired'>[] = [
  { id: 'affect', name: 'Affect', color: '#c2255c', description: 'Mood and emotional expression' },
  { id: 'nonverbal', name: 'Nonverbal', color: '#5c6ac4', description: 'Posture, gaze, silence, movement' },
  { id: 'risk-safety', name: 'Risk/safety', color: '#b42318', description: 'Anything touching on harm to self or others' },
  { id: 'group-dynamic', name: 'Group dynamic', color: '#0f7b6c', description: 'Alliances, roles, scapegoating, cohesion' },
  { id: 'alliance-rupture', name: 'Alliance/rupture', color: '#9c4221', description: 'Strains and repairs in the working alliance' },
  { id: 'transference', name: 'Transference', color: '#7a3db8', description: 'Client feelings directed at a therapist' },
  { id: 'countertransference', name: 'Countertransference', color: '#6b4f1d', description: 'A therapist’s own reactions' },
  { id: 'intervention', name: 'Intervention', color: '#1f6feb', description: 'What a therapist did and how it landed' },
  { id: 'follow-up', name: 'Follow-up', color: '#2b7a0b', description: 'To pick up next session or outside it' },
];

/**
 * Colours a new tag is offered, in order: the default codebook's, then five more hues apart from
 * them, each dark enough to read on white. A new tag takes the first no tag has (nextTagColor):
 * every new tag was offered Nonverbal's indigo, and two tags looked the same in the note (walk, 5 Dec).
 */
export const TAG_COLORS: readonly string[] = [...DEFAULT_TAGS.map((t) => t.color), '#0b7285', '#8a6d00', '#a3218f', '#c2410c', '#495057'];

/** The first of TAG_COLORS no tag in `used` (colours like #1f6feb, any case) has; once all are taken, the one fewest have. */
export function nextTagColor(used: readonly string[]): string {
  const counts = new Map(TAG_COLORS.map((c) => [c, 0]));
  for (const c of used) {
    const key = c.toLowerCase();
    const n = counts.get(key);
    if (n !== undefined) counts.set(key, n + 1);
  }
  let best = TAG_COLORS[0]!;
  for (const c of TAG_COLORS) if (counts.get(c)! < counts.get(best)!) best = c;
  return best;
}
