import { useState } from 'react';
import copy from 'clipboard-copy';
import type { CollabStatus, ExternalStore, SaveView, UnsavedOnReload } from '../../collab/useCollabDoc';
import type { SetAsideChanges, SetAsideEntry } from '../../collab/useSetAside';
import { formatBytes, formatDateTime } from '../../format';
import { SaveFailedNotice } from './SaveFailedNotice';

interface ConnectionNoticesProps {
  status: CollabStatus;
  saveState: ExternalStore<SaveView>;
  onDismissRefusal(): void;
  /** Changes too large to save, from this visit and earlier ones on this device. */
  setAside: SetAsideChanges;
  onDismissKeptOffline(): void;
  /** Drops this device's copy of the note (with the refused change) and loads it again. */
  onReloadNote(): Promise<void>;
  /** What the reload dropped that the server had not stored: shown to copy back. */
  unsavedOnReload: UnsavedOnReload | null;
  onDismissUnsavedOnReload(): void;
}

/** Lines of kept offline words the notice quotes; the rest are counted (they are all in the note). */
const KEPT_LINES_SHOWN = 5;

/** Characters of a set-aside change quoted, enough to tell which one it is. */
const SET_ASIDE_QUOTED = 160;

/**
 * Set-aside changes shown one by one, the newest; older ones share one notice. A device holding
 * many (a clipboard tool pasting again and again; a tampered store: 3,000 records gave 3,000
 * notices, helper-119, 5 Dec) buried the note under them.
 */
const SET_ASIDE_SHOWN = 3;

/** A notice's buttons: copy its words (when there are any) to paste them back, and dismiss it. */
function CopyAndDismiss({ text, copyLabel, onDismiss, dismissLabel = 'Dismiss' }: { text: string; copyLabel: string; onDismiss(): void; dismissLabel?: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <span className="notice__actions">
      {text && (
        <button
          type="button"
          className="button button--small"
          // clipboard-copy falls back to the browser's copy command where the Clipboard API is
          // missing: a clinic serving Tandem over plain HTTP on its network had no copy at all (walk, 5 Dec).
          onClick={() => void copy(text).then(() => setCopied(true), () => setCopied(false))}
        >
          {copied === null ? copyLabel : copied ? 'Copied' : 'Could not copy'}
        </button>
      )}
      <button type="button" className="link-button" onClick={onDismiss}>
        {dismissLabel}
      </button>
    </span>
  );
}

/**
 * One change too large to save. Its words are in no note, so removing one kept on the device asks
 * first; one the device could not keep is only on screen, and says to copy it now.
 */
function SetAsideNotice({ entry, onForget }: { entry: SetAsideEntry; onForget(entry: SetAsideEntry): void }) {
  const kept = entry.key !== null;
  const quoted = entry.text.length > SET_ASIDE_QUOTED ? `${entry.text.slice(0, SET_ASIDE_QUOTED)}…` : entry.text;
  function remove() {
    if (kept && !window.confirm('Remove this change from this device? Its words are not in the note: once removed they are gone, unless you copied them.')) return;
    onForget(entry);
  }
  return (
    <div className="notice notice--warning" role="status" data-testid="set-aside-notice">
      <span>
        A change of {formatBytes(entry.size)} made {formatDateTime(entry.at)} was too large to save: the
        server accepts up to {formatBytes(entry.limit)} at once. It was taken out of the note
        {kept ? ' and is kept on this device until you remove it' : ', and this device could not keep it: copy it now'};
        everything else is saved as usual. {quoted && <q className="notice__quote">{quoted}</q>}
      </span>
      <CopyAndDismiss text={entry.text} copyLabel="Copy its text" onDismiss={remove} dismissLabel={kept ? 'Remove from this device' : 'Dismiss'} />
    </div>
  );
}

/** The older set-aside changes, counted, with their words to copy in one piece and one removal for all. */
function OlderSetAsideNotice({ entries, onForget }: { entries: SetAsideEntry[]; onForget(entry: SetAsideEntry): void }) {
  function remove() {
    if (!window.confirm(`Remove these ${entries.length} changes from this device? Their words are not in the note: once removed they are gone, unless you copied them.`)) return;
    for (const entry of entries) onForget(entry);
  }
  return (
    <div className="notice notice--warning" role="status" data-testid="set-aside-older-notice">
      <span>
        {entries.length} earlier changes, made from {formatDateTime(entries[0]!.at)}, were too large to save too. Their
        words are not in the note; copy them before you remove them.
      </span>
      <CopyAndDismiss text={entries.map((e) => e.text).join('\n\n')} copyLabel="Copy all their text" onDismiss={remove} dismissLabel="Remove them from this device" />
    </div>
  );
}

/** Calm, in-page explanations of what the server said about this connection. */
export function ConnectionNotices({ status, saveState, onDismissRefusal, setAside, onDismissKeptOffline, onReloadNote, unsavedOnReload, onDismissUnsavedOnReload }: ConnectionNoticesProps) {
  const [reloading, setReloading] = useState(false);

  async function reload() {
    const sure = window.confirm(
      'Load the note again from the server? The change it did not accept is dropped from this device, and so is anything typed since that has not been saved; the page then shows those words for you to copy back.',
    );
    if (!sure) return;
    setReloading(true);
    try {
      await onReloadNote();
    } finally {
      setReloading(false);
    }
  }

  const reloadButton = (
    <button type="button" className="button button--small" onClick={() => void reload()} disabled={reloading} data-testid="reload-note">
      {reloading ? 'Reloading…' : 'Reload note'}
    </button>
  );

  if (status.kind === 'ended' && status.reason === 'too-big') {
    const sizes = status.tooBig;
    return (
      <div className="notice notice--error" role="alert" data-testid="too-big-notice">
        <span>
          The edits on this device not yet saved{' '}
          {sizes
            ? `come to ${formatBytes(sizes.size)}, more than the server accepts at once (${formatBytes(sizes.limit)}),`
            : 'are more than the server accepts at once,'}{' '}
          so they were not sent. They are kept on this device. An administrator can raise the limit
          (TANDEM_MAX_MESSAGE_BYTES), or you can load the note again from the server, which drops them from this device.
        </span>
        <span className="notice__actions">{reloadButton}</span>
      </div>
    );
  }
  if (status.kind === 'ended' && status.reason === 'rejected') {
    return (
      <div className="notice notice--error" role="alert">
        The server closed the connection to this note. Reload the page to try again; edits made here are kept on this
        device.
      </div>
    );
  }
  if (status.kind !== 'ready') return null;
  const { access, refusal, keptOffline, crowded, liveInterrupted } = status;

  return (
    <>
      {crowded && (
        <div className="notice notice--warning" role="status" data-testid="crowded-notice">
          This note is open in too many of your tabs or devices at once, so this one is not connected. Close one of the
          others: this tab connects by itself then. What you type here is kept on this device.
        </div>
      )}
      {/* Why, not "Read-only." again: the save badge beside the names says that (walk, 6 Dec: a supervisor read it twice). */}
      {!access.canWrite && (
        <div className="notice notice--info" data-testid="readonly-banner">
          {access.reason ?? 'You can read this note but not change it.'}
        </div>
      )}
      <SaveFailedNotice saveState={saveState} />
      {liveInterrupted && (
        <div className="notice notice--warning" role="status" data-testid="live-interrupted-notice">
          Live sharing between Tandem’s servers is interrupted. Everything you write is saved, but your co-therapist’s
          edits may reach this page late, and yours hers, until it is back. Nothing needs doing: it catches up by itself.
        </div>
      )}
      {setAside.entries.length > SET_ASIDE_SHOWN && <OlderSetAsideNotice entries={setAside.entries.slice(0, -SET_ASIDE_SHOWN)} onForget={setAside.forget} />}
      {setAside.entries.slice(-SET_ASIDE_SHOWN).map((entry) => (
        <SetAsideNotice key={entry.key ?? `unkept-${entry.at}`} entry={entry} onForget={setAside.forget} />
      ))}
      {keptOffline && (
        <div className="notice notice--warning" role="status" data-testid="kept-offline-notice">
          <span>
            {keptOffline.length === 1
              ? 'While this device was offline, your co-therapist removed or rewrote a line you were writing in. What you typed into it offline is put back as yours, in a line of its own right after your co-therapist’s version of that line (or where it stood); check where it belongs:'
              : 'While this device was offline, your co-therapist removed or rewrote lines you were writing in. What you typed into them offline is put back as yours, in lines of their own right after your co-therapist’s versions of those lines (or where they stood); check where each belongs:'}{' '}
            {keptOffline.slice(0, KEPT_LINES_SHOWN).map((line, i) => (
              <q key={i} data-testid="kept-offline-line" className="notice__quote">
                {line}
              </q>
            ))}
            {keptOffline.length > KEPT_LINES_SHOWN && <span className="notice__quote">and {keptOffline.length - KEPT_LINES_SHOWN} more lines.</span>}
          </span>
          <span className="notice__actions">
            <button type="button" className="link-button" onClick={onDismissKeptOffline}>
              Dismiss
            </button>
          </span>
        </div>
      )}
      {unsavedOnReload && (
        <div className="notice notice--warning" role="status" data-testid="unsaved-on-reload-notice">
          <span>
            {unsavedOnReload.idTaken
              ? 'This device wrote in the note under an id the server holds for another person (possible only while Tandem’s servers were cut off from each other), so that could not be saved, and the note was loaded again from the server.'
              : 'The note was loaded again from the server.'}{' '}
            What you had typed that it had not saved is no longer in the note; copy it back where it belongs:{' '}
            <q className="notice__quote" data-testid="unsaved-on-reload-text">{unsavedOnReload.text}</q>
          </span>
          <CopyAndDismiss text={unsavedOnReload.text} copyLabel="Copy the words" onDismiss={onDismissUnsavedOnReload} />
        </div>
      )}
      {refusal && (
        <div className="notice notice--warning" role="status" data-testid="refusal-notice">
          <span>
            The server did not accept your last change: {refusal.message} Nothing typed here since is saved either (it builds
            on that change) until the note is loaded again; the reload shows every unsaved word for you to copy back.
          </span>
          <span className="notice__actions">
            {reloadButton}
            <button type="button" className="link-button" onClick={onDismissRefusal}>
              Dismiss
            </button>
          </span>
        </div>
      )}
    </>
  );
}
