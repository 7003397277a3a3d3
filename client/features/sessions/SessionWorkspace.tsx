import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Editor } from '@tiptap/core';
import type { SessionView } from '../../../shared/domain/session';
import { isLocked } from '../../../shared/domain/lifecycle';
import { useCurrentUser } from '../../auth/useCurrentUser';
import { usePresence } from '../../collab/presence';
import { useCollabDoc } from '../../collab/useCollabDoc';
import { digestOfCopy } from '../../collab/noteDigest';
import { useAnnouncePersonColor } from '../../components/PersonColor';
import { SessionEditor } from '../../editor/SessionEditor';
import { BlindPanel } from '../blind/BlindPanel';
import { useBlind } from '../blind/useBlind';
import { usePrivateMarks } from '../blind/usePrivateMarks';
import { AddendaSection } from '../lifecycle/AddendaSection';
import { GroupMembersPanel } from '../lifecycle/GroupMembersPanel';
import { membersWord } from '../lifecycle/membersWord';
import { LateEntryBanner } from '../lifecycle/LateEntryBanner';
import { SessionClock } from '../lifecycle/SessionClock';
import { ReturnedNotice, SignPanel } from '../lifecycle/SignPanel';
import { SignatureNotice } from '../lifecycle/SignatureNotice';
import { useNoteDigest } from '../lifecycle/useNoteDigest';
import { useSessionRecord } from '../lifecycle/useSessionRecord';
import { GroupHistoryPanel } from '../members/GroupHistoryPanel';
import { MemberNotesPanel } from '../members/MemberNotesPanel';
import { ProcessNotesPanel } from '../members/ProcessNotesPanel';
import { RiskAlert } from '../members/RiskAlert';
import { RiskPanel } from '../members/RiskPanel';
import { useReplacedRiskSaves } from '../members/useReplacedRiskSaves';
import { DisputeBox } from '../observations/DisputeBox';
import { FlagCounter } from '../observations/FlagCounter';
import { caretAfterLabel, shortQuote } from '../observations/observationModel';
import { lineLabel } from '../../../shared/note/lineWords';
import { ObservationStyles } from '../observations/ObservationStyles';
import { ObservationsPanel } from '../observations/ObservationsPanel';
import { SelectionToolbar } from '../observations/SelectionToolbar';
import { ShortcutLegend } from '../observations/ShortcutLegend';
import { TagPalette } from '../observations/TagPalette';
import { useFlagActions } from '../observations/useFlagActions';
import { useNoteObservations } from '../observations/useNoteObservations';
import { useNoteShortcuts } from '../observations/useNoteShortcuts';
import { useObservationQuotes } from '../observations/useObservationQuotes';
import { useCodebook } from '../observations/useCodebook';
import { useTagPalette } from '../observations/useTagPalette';
import { CommentsMargin } from '../supervisor/CommentsMargin';
import { useLiveUpdates } from '../../api/liveEvents';
import { ConnectionNotices } from './ConnectionNotices';
import { AccessPanel } from './AccessPanel';
import { MembersPanel } from './MembersPanel';
import { NoteToolbarExtras } from './NoteToolbarExtras';
import { SessionBanners } from './SessionBanners';
import { SessionHeader } from './SessionHeader';
import { accessFromSession } from './sessionAccess';
import { sessionParts } from '../../../shared/domain/sessionParts';
import { useLeaveOnEnd } from './useLeaveOnEnd';
import { AWAITING_SIGNATURES_POLL_MS, useRiskSummary } from './useRiskSummary';
import { useWarnBeforeClose } from './useWarnBeforeClose';

interface SessionWorkspaceProps {
  session: SessionView;
  /** Reads the session again; resolves once it is read. */
  onSessionChanged(): Promise<void>;
}

/** The live session: clock, presence and save state, the note with its observations, and the record. */
export function SessionWorkspace({ session, onSessionChanged }: SessionWorkspaceProps) {
  const user = useCurrentUser();
  // This session's colour for me (distinct from my co-therapist's), not my account-wide one.
  const color = session.members.find((m) => m.userId === user.id)?.color ?? user.color;
  useAnnouncePersonColor(color);
  // Keyed on the id alone: reloading the member list must not reconnect the note.
  const initialAccess = useMemo(() => accessFromSession(session), [session.id]);
  const { status, saveState, dismissRefusal, setAside, dismissKeptOffline, reloadNote, unsavedOnReload, dismissUnsavedOnReload } = useCollabDoc({ sessionId: session.id, account: user, color, initialAccess });
  const people = usePresence(status.kind === 'ready' ? status.provider.awareness : null, session.members);
  const caretUser = useMemo(() => ({ name: user.name, color }), [user.name, color]);
  useLeaveOnEnd(status);
  useWarnBeforeClose(saveState);

  const doc = status.kind === 'ready' ? status.doc : null;
  const canWrite = status.kind === 'ready' && status.access.canWrite;
  const isTherapist = session.myRole === 'therapist';
  const parts = sessionParts(session);
  // Process notes are no record: observations and flags belong to the note (walk, 4 Dec: Tag… and
  // an Observations panel were offered in the process notes).
  const canTag = canWrite && isTherapist && parts.observations;
  const [editor, setEditor] = useState<Editor | null>(null);
  const notes = useNoteObservations(doc);
  const { tags: allTags, tagMap, reload: reloadTags } = useCodebook(notes);
  const flags = useFlagActions({ editor, doc, me: user.id, notes, canAnswer: isTherapist && canWrite });
  const [showHelp, setShowHelp] = useState(false);

  // The server closes the note's connection when the session moves on (started, ended, signed…);
  // the provider reconnects by itself, and the page reads the session again.
  const sessionChanges = status.kind === 'ready' ? status.sessionChanges : 0;
  useEffect(() => {
    if (sessionChanges > 0) onSessionChanged();
  }, [sessionChanges, onSessionChanged]);
  // A co-therapist changed the members (or the attendance): told on the live stream, not the
  // note's, which makes the session's query (SessionPage) stale.
  useLiveUpdates();

  // Moves each time the session may have changed: what this page reads about it is read again.
  const sessionMoved = `${session.status}:${sessionChanges}`;
  const afterSession = session.status === 'ended' || isLocked(session.status);
  const record = useSessionRecord(session.id, {
    enabled: afterSession,
    refreshKey: sessionMoved,
    // A co-therapist's signature reaches this page only by asking, until the note locks.
    pollMs: session.status === 'ended' ? AWAITING_SIGNATURES_POLL_MS : null,
  });
  const recordData = record.state.status === 'ok' ? record.state.data : null;
  // Once the page's copy has caught up with the server's: before that it is an older note.
  const copySynced = status.kind === 'ready' && status.synced;
  const noteDigest = useNoteDigest(doc, afterSession && copySynced);

  const blind = useBlind(session.id, { isTherapist, refreshKey: sessionMoved, enabled: parts.blind });
  usePrivateMarks(editor, blind.mine);
  const tagging = useTagPalette({
    privately: blind.isPrivate ? (choice, anchor) => void blind.add(choice, anchor) : null,
    editor,
    doc,
    me: user.id,
    enabled: canTag,
    onOpen: () => {
      reloadTags();
      onSessionChanged();
    },
  });
  const { palette } = tagging;

  const busy = palette !== null || flags.dispute !== null;
  useNoteShortcuts({
    tag: () => !busy && tagging.open(),
    nextFlag: () => !busy && flags.jumpNext(),
    acknowledge: () => !busy && flags.acknowledge(),
    dispute: () => !busy && flags.startDispute(),
    help: () => {
      setShowHelp((v) => !v);
      return true;
    },
  });

  const coTherapists = session.members.filter((m) => m.role === 'therapist' && m.userId !== user.id);
  // Only what fits the session: member labels for sessions with several clients (a group, a couple,
  // a family), flags when there is a co-therapist.
  const hasGroupMembers = session.kind !== 'individual';
  // A member note may mention its own member (the one label it has).
  const mentionable = hasGroupMembers || session.groupSessionId ? session.groupMembers : [];
  const hasCoTherapist = coTherapists.length > 0;
  const quotes = useObservationQuotes(editor, notes);
  const quoteOf = useCallback(
    (id: string) => {
      const quote = quotes.get(id);
      return quote === undefined ? null : shortQuote(quote);
    },
    [quotes],
  );
  const unansweredFlags = useMemo(() => notes.observations.filter((o) => o.forCoTherapist && !notes.responses.has(o.id)), [notes]);
  // A tagged line whose words were never written is signed as "nothing written after its label" (walk, 4 Dec).
  const emptyLines = useMemo(
    () => notes.observations.filter((o) => o.kind === 'line' && quotes.get(o.id) === '').map((o) => ({ observation: o, label: lineLabel(o.tags.map((t) => tagMap.get(t)?.name ?? 'Tag'), o.member).replace(/ — $/, '') })),
    [notes, quotes, tagMap],
  );
  const risk = useRiskSummary(session, doc, notes, sessionChanges, noteDigest, parts.signCheck);
  const replacedRisk = useReplacedRiskSaves(doc, user.id, session.id);
  const nameOf = (id: string) => session.members.find((m) => m.userId === id)?.name ?? 'a former member';
  const reloadAll = async () => {
    await Promise.all([onSessionChanged(), record.reload()]);
  };

  const toolbarExtras = (
    <NoteToolbarExtras
      editor={editor}
      canMention={canWrite && isTherapist && mentionable.length > 0}
      canTag={canTag}
      showHelp={showHelp}
      onTag={() => tagging.open()}
      onToggleHelp={() => setShowHelp((v) => !v)}
    />
  );

  return (
    <div className="session">
      <ObservationStyles notes={notes} tags={tagMap} me={user.id} isTherapist={isTherapist} />
      <SessionHeader
        session={session}
        saveState={saveState}
        people={people}
        clock={!parts.clock ? null : <SessionClock session={session} canControl={isTherapist} onChanged={onSessionChanged} />}
        flags={isTherapist && hasCoTherapist && parts.observations ? <FlagCounter count={flags.pending.length} message={flags.message} onJump={() => flags.jumpNext()} /> : undefined}
      />
      <SessionBanners session={session} />
      <ReturnedNotice session={session} record={record.state} />
      <SignatureNotice session={session} me={user.id} record={record.state} noteDigest={noteDigest} />
      <ConnectionNotices status={status} saveState={saveState} onDismissRefusal={dismissRefusal} setAside={setAside} onDismissKeptOffline={dismissKeptOffline} onReloadNote={reloadNote} unsavedOnReload={unsavedOnReload} onDismissUnsavedOnReload={dismissUnsavedOnReload} />
      {/* A member note has no clock of its own: nothing written in it is late. */}
      {session.status === 'ended' && isTherapist && !session.groupSessionId && <LateEntryBanner endedAt={session.endedAt} />}
      <div className="session__body">
        <section className="session__note" aria-label="Note">
          {status.kind === 'ready' ? (
            <SessionEditor
              doc={status.doc}
              provider={status.provider}
              isOffline={status.isOffline}
              editLimit={status.editLimit}
              user={caretUser}
              canWrite={canWrite}
              groupMembers={mentionable}
              onEditor={setEditor}
              toolbarExtras={toolbarExtras}
            />
          ) : (
            <p className="page-state" aria-busy={status.kind === 'loading'} data-testid="note-opening">
              {status.kind !== 'loading'
                ? 'The connection to this note was closed.'
                : status.awaitingServer
                  ? 'Waiting for the server: this note has not been opened on this device yet, so it opens once the server answers.'
                  : 'Opening the note…'}
            </p>
          )}
          {recordData && (
            <AddendaSection
              sessionId={session.id}
              addenda={recordData.review.addenda}
              canAdd={isTherapist && isLocked(session.status)}
              onAdded={record.reload}
            />
          )}
        </section>
        <aside className="session__aside">
          {/* First in the side column, in its flow: above the note it pushed the line being written
              down (walk, 4 Dec); floating in a corner it hid the panels under it until dismissed (walk).
              Its "needed before signing" is news only until the note is signed (walk, 2 Dec). */}
          {isTherapist && !isLocked(session.status) && <RiskAlert observations={notes.observations} labels={session.groupMembers} synced={status.kind === 'ready' && status.synced} me={user.id} nameOf={nameOf} gaps={risk.gaps} />}
          {parts.blind && <BlindPanel sessionId={session.id} blind={blind} isTherapist={isTherapist} me={user.id} coTherapist={coTherapists[0]?.name ?? null} editor={editor} />}
          {parts.observations && (
            <ObservationsPanel session={session} me={user.id} editor={editor} notes={notes} tags={tagMap} flags={flags} canAnswer={isTherapist && canWrite} canTag={canTag} />
          )}
          {/* Process notes are no record: nobody comments on them (the server answers no comment route for them). */}
          {parts.comments && <CommentsMargin sessionId={session.id} me={user.id} canReply={session.myRole !== null} quoteOf={quoteOf} />}
          {doc && <RiskPanel doc={doc} flagged={risk.flagged} records={risk.records} replaced={replacedRisk.replaced} onSettled={replacedRisk.settle} me={user.id} canWrite={canWrite && isTherapist} nameOf={nameOf} />}
          {afterSession && (
            <SignPanel
              session={session}
              me={user.id}
              record={record.state}
              onRetry={record.reload}
              unansweredFlags={unansweredFlags}
              emptyLines={emptyLines}
              riskGaps={risk.gaps}
              groupChanges={risk.groupChanges}
              quoteOf={quoteOf}
              onReveal={(id) => flags.reveal(id)}
              onWriteAfter={(id) => editor && caretAfterLabel(editor, id)}
              onSigned={reloadAll}
              digestOfMyCopy={async () => (doc ? digestOfCopy(doc) : undefined)}
              copySynced={copySynced}
              noteDigest={noteDigest}
            />
          )}
          {hasGroupMembers && <GroupMembersPanel session={session} canEdit={isTherapist && !isLocked(session.status)} onChanged={onSessionChanged} />}
          {session.kind === 'group' && <MemberNotesPanel session={session} canEdit={isTherapist} />}
          {session.kind === 'group' && <GroupHistoryPanel session={session} isTherapist={isTherapist} />}
          {parts.processNotes && <ProcessNotesPanel session={session} isTherapist={isTherapist} />}
          {/* Who may open process notes follows their session and its sharing, never this list. */}
          {parts.members && <MembersPanel session={session} doc={doc} onChanged={onSessionChanged} />}
          <AccessPanel sessionId={session.id} opened={copySynced} />
          <ShortcutLegend open={showHelp} onToggle={setShowHelp} canWrite={canWrite && isTherapist} />
        </aside>
      </div>
      {palette && editor && (
        <TagPalette
          kind={palette.held.kind}
          quote={palette.quote}
          wordAtCaret={palette.held.kind === 'span' && palette.held.atCaret}
          problem={palette.problem}
          initialFlag={palette.flag}
          tags={allTags.filter((t) => !t.retired)}
          members={hasGroupMembers ? { word: membersWord(session.kind), labels: session.groupMembers } : null}
          coTherapistName={coTherapists.map((m) => m.name).join(' and ') || null}
          position={palette.position}
          onApply={tagging.apply}
          onClose={tagging.close}
        />
      )}
      {editor && canTag && (
        <SelectionToolbar
          editor={editor}
          coTherapistName={coTherapists.map((m) => m.name).join(' and ') || null}
          hidden={palette !== null || flags.dispute !== null}
          flagsForMe={flags.pending}
          onTag={() => tagging.open()}
          onFlag={() => tagging.open({ flag: true })}
          onAcknowledge={(id) => flags.acknowledge(id)}
          onDispute={(id) => flags.startDispute(id)}
        />
      )}
      {flags.dispute && <DisputeBox key={flags.dispute.observationId} position={flags.dispute.position} asked={flags.dispute.asked} onSubmit={flags.submitDispute} onCancel={flags.cancelDispute} />}
    </div>
  );
}
