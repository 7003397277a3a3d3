import { z } from 'zod';

/** The default codebook's risk/safety tag (shared/domain/tag.ts): tagging it for a member asks for their risk assessment and plan. */
export const RISK_TAG = 'risk-safety';

/**
 * A member's risk assessment and plan, in the note's `risk` map (key = the member's label). The
 * server checks that `by` is the account of the connection that writes it: the entry is attributed
 * to whoever last wrote it, and signing waits until it is filled in.
 */
export const riskEntrySchema = z
  .object({
    assessment: z.string().max(5000),
    plan: z.string().max(5000),
    by: z.uuid(),
    /** Device time; shown nowhere (the server stamps when it received it, `stamps` key `risk:<label>`). */
    at: z.number().int().positive(),
  })
  .strict();
export type RiskEntry = z.infer<typeof riskEntrySchema>;

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
