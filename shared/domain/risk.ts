import { z } from 'zod';

/** The default codebook's risk/safety tag (shared/domain/tag.ts): tagging it for a member asks for their risk assessment and plan. */
export const RISK_TAG = 'risk-safety';

/**
 * A member's risk assessment and plan, in the note's `risk` map (key = the member's label). `by` is
 * who saved it last: the server checks it is the account of the connection that writes it. Each
 * part names its own writer (`assessmentBy`, `planBy`; absent: `by`): a part saved again as it was
 * keeps its writer's name, which the server lets stand only for those very words (guards.ts), so
 * the co-therapist's assessment is never credited to whoever saved the plan beside it (walk, 4 Dec).
 * Signing waits until both parts are filled in.
 */
export const riskEntrySchema = z
  .object({
    assessment: z.string().max(5000),
    plan: z.string().max(5000),
    by: z.uuid(),
    assessmentBy: z.uuid().optional(),
    planBy: z.uuid().optional(),
    /** Device time; shown nowhere (the server stamps when it received it, `stamps` key `risk:<label>`). */
    at: z.number().int().positive(),
  })
  .strict();
export type RiskEntry = z.infer<typeof riskEntrySchema>;

/**
 * The risk record's key for the client of a session without member labels (an individual, couple
 * or family session): a risk/safety tag there concerns the client, whom it names no label for, and
 * signing waits for the client's record as it does for a member's (walk, 4 Dec: such a tag alerted
 * nobody and the note signed without an assessment).
 */
export const CLIENT_RISK_KEY = 'Client';

/**
 * The risk record an observation asks for: its member's; in a session without member labels
 * (`labels` empty), the client's (CLIENT_RISK_KEY); else none.
 */
export function riskKeyOf(o: { member: string | null; tags: readonly string[] }, labels: readonly string[]): string | null {
  if (!o.tags.includes(RISK_TAG)) return null;
  return o.member ?? (labels.length === 0 ? CLIENT_RISK_KEY : null);
}

/** The two parts of a risk record. */
export const RISK_PARTS = ['assessment', 'plan'] as const;
export type RiskPart = (typeof RISK_PARTS)[number];

/** Each part's name in a sentence, lower case ("safety plan"). */
export const RISK_PART_NAMES: Record<RiskPart, string> = { assessment: 'risk assessment', plan: 'safety plan' };

/** Who wrote one part of a risk record (its own writer, else whoever saved the record). */
export function riskPartAuthor(entry: RiskEntry, part: RiskPart): string {
  return (part === 'assessment' ? entry.assessmentBy : entry.planBy) ?? entry.by;
}

/**
 * `mine`, a record `me` saved, joined into `kept`, the record a save made without seeing mine left
 * in its place: my parts' words over `kept`, in my name, when that save wrote no words into them.
 * Returns `kept` itself when it holds my words already, and null when the other save wrote words
 * into one of my parts too: then the two versions are the person's to choose between. Two therapists saving one part each at the same moment lost one of the parts and were
 * told of a conflict (walk, 5 Dec).
 */
export function joinRiskSaves(kept: RiskEntry, mine: RiskEntry, me: string, at: number): RiskEntry | null {
  // A part left empty in my save is mine only where the kept record has it in my name (I cleared
  // my words); one the other filled in stands (a save of one part names its saver on both).
  const parts = RISK_PARTS.filter((part) => riskPartAuthor(mine, part) === me && (mine[part].trim() !== '' || riskPartAuthor(kept, part) === me));
  // The other wrote words into one of my parts too: theirs and mine are the person's to choose between.
  if (parts.some((part) => riskPartAuthor(kept, part) !== me && kept[part].trim() !== '')) return null;
  if (parts.every((part) => kept[part] === mine[part])) return kept;
  const joined: RiskEntry = { ...kept, by: me, at, assessmentBy: riskPartAuthor(kept, 'assessment'), planBy: riskPartAuthor(kept, 'plan') };
  for (const part of parts) {
    joined[part] = mine[part];
    joined[part === 'assessment' ? 'assessmentBy' : 'planBy'] = me;
  }
  return joined;
}

/** The parts of `entry` that `accountId` wrote, with their words, trimmed (none: no words of theirs in it). */
export function riskPartsBy(entry: RiskEntry, accountId: string): [RiskPart, string][] {
  return RISK_PARTS.flatMap((part): [RiskPart, string][] => (riskPartAuthor(entry, part) === accountId && entry[part].trim() ? [[part, entry[part].trim()]] : []));
}

/** What signing still needs for one member: which parts of their risk record are missing. */
export interface RiskGap {
  member: string;
  missing: ('assessment' | 'plan' | 'attribution')[];
}

/** The sentence the sign panel and the refusal show for one gap. */
export function describeRiskGap(gap: RiskGap): string {
  const parts = gap.missing.map((m) => (m === 'attribution' ? 'a therapist of this session to record it' : m === 'assessment' ? 'a risk assessment' : 'a safety plan'));
  return `${gap.member}: ${parts.join(' and ')}`;
}
