/**
 * A group session's attendance as stored: one text, JSON of member label → present, absent or
 * late (sealed at rest; see MemberNoteStore.attendance). Members the record leaves out were present.
 */
import { z } from 'zod';
import { memberLabelSchema } from '../../shared/domain/observation';
import type { Attendance } from '../persistence/ports';

const attendanceValue = z.enum(['present', 'absent', 'late']);
const attendanceSchema = z.record(z.string(), attendanceValue);

/** Attendance as a request gives it (`PUT /attendance`, `POST /end`): member label → present, absent or late. */
export const attendanceChangesSchema = z.record(memberLabelSchema, attendanceValue);

/** The recorded attendance by label; `{}` when none was recorded. Throws (ZodError) on a record that is not of this shape. */
export function parseAttendance(stored: string | null): Record<string, Attendance> {
  return stored === null ? {} : attendanceSchema.parse(JSON.parse(stored));
}
