import type { Editor } from '@tiptap/core';
import { isLocked } from '../../../shared/domain/lifecycle';
import { formatOffset } from '../../../shared/domain/observation';
import type { SessionView } from '../../../shared/domain/session';
import type { TagView } from '../../../shared/domain/tag';
import { isFlagFor, shortQuote } from './observationModel';
import { observationQuotes } from './observationText';
import { ObservationItem } from './ObservationItem';
import { useDocVersion } from './useDocVersion';
import type { FlagActions } from './useFlagActions';
import type { NoteObservations } from './useNoteObservations';

interface ObservationsPanelProps {
  session: SessionView;
  me: string;
  editor: Editor | null;
  notes: NoteObservations;
  tags: Map<string, TagView>;
  flags: FlagActions;
  canAnswer: boolean;
  /** Whether this person may tag here: a read-only page is not told to (walk, 4 Dec). */
  canTag: boolean;
}

/** The note's observations as they arrive, newest first, with answers to flags for me. */
export function ObservationsPanel({ session, me, editor, notes, tags, flags, canAnswer, canTag }: ObservationsPanelProps) {
  // Quotes follow the text as it is edited, a little behind the typing.
  useDocVersion(editor);
  const members = new Map(session.members.map((m) => [m.userId, m]));
  const nameOf = (id: string) => members.get(id)?.name ?? 'Former member';
  const therapists = session.members.filter((m) => m.role === 'therapist');
  const othersOf = (authorId: string) =>
    therapists.filter((t) => t.userId !== authorId).map((t) => t.name).join(' and ') || 'the co-therapist';
  const quotes = editor && !editor.isDestroyed ? observationQuotes(editor.state.doc, (id) => notes.byId.get(id)?.kind === 'line') : null;
  const started = session.startedAt ? Date.parse(session.startedAt) : null;
  // After the end, as the review marks them (walk, 4 Dec: only the review did).
  const ended = session.endedAt ? Date.parse(session.endedAt) : null;
  const newestFirst = [...notes.observations].reverse();

  // Into the session, or, made after it ended, how long after the end: "07:57" read as a moment of
  // a session that lasted 01:52 (walk, 4 Dec), and a bare "09:07" as a time of day (walk, 6 Dec).
  const offsetOf = (at: number) => {
    if (started === null) return null;
    return ended !== null && at > ended ? `${formatOffset(at - ended)} after the end` : `${formatOffset(at - started)} after the start`;
  };
  return (
    <section className="panel" aria-labelledby="observations-title" data-testid="observations-panel">
      <h2 className="panel__title" id="observations-title">
        Observations <span className="muted">({notes.observations.length})</span>
      </h2>
      {newestFirst.length === 0 ? (
        <p className="muted panel__empty">
          {/* A member note lists the group session's observations of its member in its text, not here (walk, 1 Dec). */}
          {session.groupSessionId ? 'None in this note yet. The group session’s observations of this member are listed in the note under “This member’s observations”. ' : 'None yet. '}
          {canTag && 'Select words and press the tag shortcut, or tag a new line.'}
        </p>
      ) : (
        <ul className="obs-list">
          {newestFirst.map((o) => {
            const words = quotes?.get(o.id);
            const quote = quotes === null ? '' : words === undefined ? null : shortQuote(words, 90);
            const member = members.get(o.authorId);
            return (
              <ObservationItem
                key={o.id}
                observation={o}
                tags={o.tags.map((id) => ({ id, name: tags.get(id)?.name ?? id, color: tags.get(id)?.color ?? '#6b7280' }))}
                author={{ name: nameOf(o.authorId), color: member?.color ?? '#6b7280' }}
                offset={offsetOf(notes.receivedAt.get(o.id)!)}
                late={ended !== null && notes.receivedAt.get(o.id)! > ended}
                locked={isLocked(session.status)}
                quote={quote}
                response={notes.responses.get(o.id) ?? null}
                extentChange={notes.extents.get(o.id) ?? null}
                nameOf={nameOf}
                flaggedFor={othersOf(o.authorId)}
                canAnswer={canAnswer && isFlagFor(o, me) && !notes.responses.has(o.id) && !(o.kind === 'line' && quote === '')}
                onReveal={() => flags.reveal(o.id)}
                onAcknowledge={() => flags.acknowledge(o.id)}
                onDispute={() => flags.startDispute(o.id)}
              />
            );
          })}
        </ul>
      )}
    </section>
  );
}
