import { useEffect, useRef, useState } from 'react';
import type { SessionView } from '../../../shared/domain/session';
import { ApiError } from '../../api/http';
import { setGroupMembers } from '../../api/lifecycle';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { parseMemberLabels } from './memberLabels';
import { membersHeading } from './membersWord';

interface GroupMembersPanelProps {
  session: SessionView;
  canEdit: boolean;
  onChanged(): void | Promise<void>;
}

/**
 * The pseudonymous labels of the people in the room (initials or M1..Mn, never names), in the
 * order the tag palette's digits pick them: a group's members, a couple's partners, a family's members.
 */
export function GroupMembersPanel({ session, canEdit, onChanged }: GroupMembersPanelProps) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  // The labels my list was edited from; null once I have been told of a change since (the next
  // save then goes over the labels the page shows now). A co-therapist's label added meanwhile
  // was dropped unseen by a save from the older list (5 Dec).
  const [editedFrom, setEditedFrom] = useState<string[] | null>(null);
  // Saved or given up, the keyboard goes back to "Change labels": it was left on the page's body,
  // and the next Tab started again from the top of the page (walk, 6 Dec).
  const editButton = useRef<HTMLButtonElement>(null);
  const [focusBack, setFocusBack] = useState(false);
  useEffect(() => {
    if (editing || !focusBack) return;
    editButton.current?.focus();
    setFocusBack(false);
  }, [editing, focusBack]);
  const close = () => {
    setEditing(false);
    setFocusBack(true);
  };
  const parsed = parseMemberLabels(text);
  const save = useSubmit(async () => {
    if (parsed.error) return;
    try {
      await setGroupMembers(session.id, parsed.labels, editedFrom ?? session.groupMembers);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'labels_changed') {
        setEditedFrom(null);
        await onChanged();
      }
      throw err;
    }
    close();
    await onChanged();
  });

  return (
    <section className="panel" aria-labelledby="group-members-title" data-testid="group-members-panel">
      <h2 className="panel__title" id="group-members-title">
        {membersHeading(session.kind)}
      </h2>
      {!editing ? (
        <>
          {session.groupMembers.length === 0 ? (
            <p className="muted panel__empty">No labels yet.</p>
          ) : (
            <ol className="label-list" data-testid="group-member-labels">
              {session.groupMembers.map((label, i) => (
                <li key={label} className="member-badge">
                  {i < 9 && <kbd>{i + 1}</kbd>} {label}
                </li>
              ))}
            </ol>
          )}
          {canEdit && (
            <button
              ref={editButton}
              type="button"
              className="link-button"
              onClick={() => {
                setText(session.groupMembers.join(' '));
                setEditedFrom(session.groupMembers);
                setEditing(true);
              }}
              data-testid="group-members-edit"
            >
              {session.groupMembers.length === 0 ? 'Add labels' : 'Change labels'}
            </button>
          )}
        </>
      ) : (
        <form className="form form--compact" onSubmit={save.handleSubmit} onKeyDown={(e) => e.key === 'Escape' && close()} noValidate>
          <label className="field">
            <span className="field__label">Labels, in order</span>
            <input
              autoFocus
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="M1 M2 M3 JD"
              aria-invalid={parsed.error ? true : undefined}
              data-testid="group-members-input"
            />
            <span className="field__hint">Initials or codes, separated by spaces or commas. Never names.</span>
          </label>
          {text.trim() && parsed.error && <p className="field__error">{parsed.error}</p>}
          {/* What Save will keep, member by member: how the typed list was read is seen before it is saved. */}
          {!parsed.error && parsed.labels.length > 0 && (
            <p className="field__hint" data-testid="group-members-preview">
              {parsed.labels.length === 1 ? '1 member' : `${parsed.labels.length} members`}: {parsed.labels.join(' · ')}
            </p>
          )}
          <FormError error={save.error} />
          <div className="button-row">
            <button type="submit" className="button button--small button--primary" disabled={save.isPending || parsed.error !== null} data-testid="group-members-save">
              Save
            </button>
            <button type="button" className="button button--small" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
