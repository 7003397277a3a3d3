import type { SessionKind } from './session';
import { z } from 'zod';

/** Individual-session note formats clinicians choose between. */
export const noteFormatSchema = z.enum(['soap', 'dap', 'birp']);
export type NoteFormat = z.infer<typeof noteFormatSchema>;

const FORMATS: Record<NoteFormat, string[]> = {
  soap: ['Subjective', 'Objective', 'Assessment', 'Plan'],
  dap: ['Data', 'Assessment', 'Plan'],
  birp: ['Behavior', 'Intervention', 'Response', 'Plan'],
};

const GROUP = ['Attendance', 'Themes', 'Member observations', 'Interventions', 'Risk', 'Plan'];

/** The section headings a new note starts with. Groups (and families) get the group layout. */
export function templateSections(kind: SessionKind, format: NoteFormat = 'soap'): string[] {
  return kind === 'group' || kind === 'family' ? GROUP : FORMATS[format];
}
