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

/** Whether a session of this kind chooses its note's format (one client or a couple); groups and families get the group layout. */
export function kindHasFormat(kind: SessionKind): boolean {
  return kind !== 'group' && kind !== 'family';
}

/** The section headings a new note starts with. Groups (and families) get the group layout. */
export function templateSections(kind: SessionKind, format: NoteFormat = 'soap'): string[] {
  return kindHasFormat(kind) ? FORMATS[format] : GROUP;
}
