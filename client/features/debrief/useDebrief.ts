import { useCallback, useEffect, useRef, useState } from 'react';
import type { DebriefFieldId, DebriefFieldView, DebriefView } from '../../../shared/domain/debrief';
import { fetchDebrief, fetchDebriefVersions, saveDebriefField } from '../../api/debrief';
import { ApiError, errorMessage } from '../../api/http';
import { useLeaveGuard } from '../../router';

/** How often the page asks whether the co-therapist saved something (versions only, no text). */
const POLL_MS = 2500;
/** What a field says while its text waits for the server (the poll sends it again). */
const NOT_REACHED = 'Not saved: the server could not be reached. It is sent as soon as the server answers; keep this page open.';
/** A field is saved this long after the last keystroke. */
const SAVE_AFTER_MS = 700;

export interface FieldState {
  saved: DebriefFieldView;
  /** What this person has typed and not yet saved (null: showing the saved text). */
  draft: string | null;
  saving: boolean;
  /** The co-therapist saved this field while this person was writing it: their text is `saved`, ours is `draft`. */
  conflict: boolean;
  error: string | null;
}

/**
 * The huddle and debrief as both therapists write them: each field saves itself shortly after
 * typing stops, naming the version it was based on; the co-therapist's saves arrive within a few
 * seconds. A field someone is writing is never replaced under them: when both changed it, the
 * server refuses the later save and the page shows both texts to merge.
 */
export function useDebrief(sessionId: string) {
  const [view, setView] = useState<DebriefView | null>(null);
  const [fields, setFields] = useState<Map<DebriefFieldId, FieldState>>(new Map());
  const [loadError, setLoadError] = useState<unknown>(null);
  const timers = useRef(new Map<DebriefFieldId, ReturnType<typeof setTimeout>>());
  const fieldsRef = useRef(fields);
  /** Fields whose last save found no server (or a failing one). */
  const unreached = useRef(new Set<DebriefFieldId>());
  fieldsRef.current = fields;

  const adopt = useCallback((next: DebriefView) => {
    setView(next);
    setLoadError(null);
    setFields((prev) => {
      const out = new Map(prev);
      for (const f of next.fields) {
        const mine = prev.get(f.field);
        if (!mine) out.set(f.field, { saved: f, draft: null, saving: false, conflict: false, error: null });
        // Versions only grow: a read that left before my save and answered after it is older
        // than what the save returned, and must not put the earlier text back on screen.
        else if (f.version > mine.saved.version) out.set(f.field, { ...mine, saved: f, conflict: mine.conflict || (mine.draft !== null && mine.draft !== f.body && !mine.saving) });
      }
      return out;
    });
  }, []);

  /** `background`: asked because the poll saw the co-therapist's save, not by this person (not use of the login). */
  const load = useCallback((background = false) => fetchDebrief(sessionId, background).then(adopt, setLoadError), [sessionId, adopt]);

  const patch = (field: DebriefFieldId, change: (f: FieldState) => FieldState) =>
    setFields((prev) => {
      const f = prev.get(field);
      return f ? new Map(prev).set(field, change(f)) : prev;
    });

  const save = useCallback(
    (field: DebriefFieldId) => {
      const f = fieldsRef.current.get(field);
      if (!f || f.draft === null) return;
      const body = f.draft;
      const baseVersion = f.saved.version;
      unreached.current.delete(field);
      patch(field, (x) => ({ ...x, saving: true, error: null }));
      saveDebriefField(sessionId, field, body, baseVersion).then(
        (saved) => patch(field, (x) => ({ saved, draft: x.draft === body ? null : x.draft, saving: false, conflict: false, error: null })),
        (err: unknown) => {
          const changed = err instanceof ApiError && err.status === 409;
          // Out of reach or failing (no answer: status 0; 5xx): sent again once the server answers.
          const unreachable = !(err instanceof ApiError) || err.status === 0 || err.status >= 500;
          if (unreachable) unreached.current.add(field);
          const error = changed ? null : unreachable ? NOT_REACHED : errorMessage(err);
          // The choices are offered once the co-therapist's text is on the page: a read that
          // answered during the save brought it already; else the read below does (adopt). Offered
          // before it, "Keep both" joined the field's older text and was refused again (CI, 4 Dec).
          patch(field, (x) => ({ ...x, saving: false, conflict: changed && x.saved.version !== baseVersion, error }));
          if (changed) void load();
        },
      );
    },
    [sessionId, load],
  );

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (document.hidden) return;
      fetchDebriefVersions(sessionId).then(
        (versions) => {
          const changed = [...fieldsRef.current.values()].some((f) => (versions[f.saved.field] ?? 0) !== f.saved.version);
          if (changed) void load(true);
          // The server answers again: a field whose save failed (the server was out of reach) is
          // sent again. Text typed during an outage stayed "Not saved yet" for good before.
          for (const field of unreached.current) save(field);
        },
        () => undefined,
      );
    }, POLL_MS);
    const pending = timers.current;
    return () => {
      clearInterval(timer);
      for (const t of pending.values()) clearTimeout(t);
    };
  }, [sessionId, load, save]);

  // Text not yet saved: closing or reloading the tab asks first, as the note's page does, and so
  // does leaving the page inside the app; text waiting only for its save goes at once on leaving.
  const unsaved = [...fields.values()].some((f) => f.draft !== null);
  useLeaveGuard(
    useCallback(() => {
      const waiting = [...fieldsRef.current.values()].filter((f) => f.draft !== null && (f.conflict || f.error !== null));
      return waiting.length > 0 ? 'Some of the text you typed here is not saved (it differs from your co-therapist’s, or the server could not be reached). Leave the page and lose it?' : null;
    }, []),
  );
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const [field, t] of pending) {
        clearTimeout(t);
        save(field);
      }
      pending.clear();
    };
  }, [save]);
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  const edit = (field: DebriefFieldId, text: string) => {
    patch(field, (x) => ({ ...x, draft: text }));
    const t = timers.current.get(field);
    if (t) clearTimeout(t);
    // While both texts are shown, the writer chooses; nothing is saved over the other's by itself.
    if (fieldsRef.current.get(field)?.conflict) return;
    timers.current.set(field, setTimeout(() => {
      timers.current.delete(field);
      save(field);
    }, SAVE_AFTER_MS));
  };

  /** Ends a conflict with `draft(field)` as the text to save over the co-therapist's, and saves it now. */
  const settle = (field: DebriefFieldId, draft: (f: FieldState) => string | null) => {
    const f = fieldsRef.current.get(field);
    if (!f) return;
    const next = { ...f, draft: draft(f), conflict: false };
    patch(field, () => next);
    fieldsRef.current = new Map(fieldsRef.current).set(field, next);
    save(field);
  };

  return {
    view,
    fields,
    loadError,
    reload: () => load(),
    edit,
    /** Keep my text, saving it over the co-therapist's (which the page has shown). */
    keepMine: (field: DebriefFieldId) => settle(field, (f) => f.draft),
    /**
     * Keep both texts, theirs first, and save them as one (then edit as usual): a conflict offered
     * only one or the other (walk, 4 Dec). Never cut: over the field's limit the server says so and
     * the text stays here to shorten.
     */
    keepBoth: (field: DebriefFieldId) => settle(field, (f) => f.draft && `${f.saved.body.trimEnd()}\n\n${f.draft.trimStart()}`),
    /** Drop my unsaved text for the co-therapist's. */
    useTheirs: (field: DebriefFieldId) => patch(field, (x) => ({ ...x, draft: null, conflict: false })),
  };
}
