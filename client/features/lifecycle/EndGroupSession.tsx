import { useState, type FormEvent } from 'react';
import type { Attendance, MemberNoteEntry } from '../../api/memberNotes';

const CHOICES: Attendance[] = ['present', 'late', 'absent'];

interface EndGroupSessionProps {
  members: Pick<MemberNoteEntry, 'member' | 'attendance' | 'recorded'>[];
  ending: boolean;
  /** Ends the session with every member's attendance as confirmed here. */
  onEnd(attendance: Record<string, Attendance>): void;
  onCancel(): void;
}

/**
 * Ending a group session: its member notes are made from the attendance at that moment, and a
 * wrongly present member's note cannot be taken back (walk, 4 Dec: an absent member silently
 * "present" got a note), so every member's attendance is confirmed here first. What a therapist
 * recorded during the session is chosen already; the others must be chosen.
 */
export function EndGroupSession({ members, ending, onEnd, onCancel }: EndGroupSessionProps) {
  const [chosen, setChosen] = useState<Record<string, Attendance>>(() =>
    Object.fromEntries(members.flatMap((m) => (m.recorded ? [[m.member, m.attendance]] : []))),
  );
  const missing = members.filter((m) => chosen[m.member] === undefined).map((m) => m.member);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (missing.length === 0) onEnd(chosen);
  }

  return (
    <form className="end-group" aria-labelledby="end-group-title" onSubmit={submit} data-testid="end-group">
      <h2 className="end-group__title" id="end-group-title">
        Confirm attendance to end the session
      </h2>
      <p className="muted">
        Each present or late member gets an individual note from the group note when it ends; an absent member gets
        none. Anything written afterwards is labelled as a late entry.
      </p>
      {members.map((m) => (
        <fieldset key={m.member} className="choice-group end-group__member" data-testid={`end-attendance-${m.member}`}>
          <legend className="member-badge">{m.member}</legend>
          {CHOICES.map((a) => (
            <label key={a} className="choice">
              <input
                type="radio"
                name={`end-attendance-${m.member}`}
                value={a}
                checked={chosen[m.member] === a}
                onChange={() => setChosen({ ...chosen, [m.member]: a })}
                data-testid={`end-attendance-${m.member}-${a}`}
              />
              <span>{a}</span>
            </label>
          ))}
        </fieldset>
      ))}
      {missing.length > 0 && (
        <p className="end-group__missing" data-testid="end-attendance-missing">
          Choose the attendance of {missing.join(', ')}.
        </p>
      )}
      <div className="end-group__actions">
        <button type="submit" className="button button--small button--primary" disabled={missing.length > 0 || ending} data-testid="end-confirm">
          {ending ? 'Ending…' : 'End session'}
        </button>
        <button type="button" className="button button--small" onClick={onCancel} disabled={ending} data-testid="end-cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
