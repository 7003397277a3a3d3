/**
 * The tag palette: opened by a shortcut at the selection (or the cursor), worked entirely from the
 * keyboard, or by touch. Typing filters the codebook with the best match preselected (each tag's
 * letter puts it first), ↑/↓ move, Tab adds another tag, digits pick a group member, "!" flags it
 * for the co-therapist, Enter applies (Shift+Enter applies and flags), Escape closes and leaves the
 * text untouched. It floats above the note (a sheet along the bottom on a phone), so nothing in the
 * note moves.
 */
import { useEffect, useId, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import type { TagView } from '../../../shared/domain/tag';
import type { HeldTarget } from './heldTarget';
import type { FloatingPosition } from './palettePosition';
import { paletteKeys } from './shortcuts';
import { rankTags, tagKeys } from './tagKeys';

export interface PaletteChoice {
  tags: TagView[];
  member: string | null;
  forCoTherapist: boolean;
}

interface TagPaletteProps {
  /** What will be tagged: a span of words, the cursor (a tagged line there), or a new line after tagged text. */
  kind: HeldTarget['kind'];
  /** The selected words, shortened (spans only). */
  quote: string | null;
  /** Nothing was selected: the span is the word at the cursor. */
  wordAtCaret: boolean;
  /** Why the selection can no longer be tagged; nothing is written while it is set. */
  problem: string | null;
  tags: TagView[];
  /** The session's member labels and what its people are called ("partners"), or null when the session kind has none (an individual session). */
  members: { word: string; labels: string[] } | null;
  /** Whom a flag goes to, or null when there is no co-therapist to flag for. */
  coTherapistName: string | null;
  /** Start with "for my co-therapist" on (opened with the Flag button). */
  initialFlag: boolean;
  position: FloatingPosition;
  onApply(choice: PaletteChoice): void;
  /** `escape`: back to the editor; `away`: the person went somewhere else, leave them there. */
  onClose(how: 'escape' | 'away'): void;
}

const MAX_TAGS = 5;
export const PALETTE_WIDTH = 360;
export const PALETTE_HEIGHT = 460;

/** Whether the person points with a mouse (a touch screen would open its keyboard over the palette). */
const finePointer = () => typeof window !== 'undefined' && window.matchMedia('(pointer: fine)').matches;

function headingFor(kind: HeldTarget['kind'], quote: string | null): string {
  if (kind === 'span') return `Tag “${quote ?? ''}”`;
  if (kind === 'lineAfter') return 'Tag a new line';
  return 'Tag what you write next';
}

export function TagPalette(props: TagPaletteProps) {
  const { kind, quote, problem, tags, coTherapistName, position, onApply, onClose } = props;
  const id = useId();
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const [chosen, setChosen] = useState<string[]>([]);
  const [member, setMember] = useState<string | null>(null);
  const [forCo, setForCo] = useState(props.initialFlag && coTherapistName !== null);
  const [hint, setHint] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);

  const keys = useMemo(() => tagKeys(tags), [tags]);
  const visible = useMemo(() => rankTags(tags, filter, keys), [tags, filter, keys]);
  const activeTag = visible[Math.min(active, visible.length - 1)];
  const members = props.members?.labels ?? [];
  const membersWord = props.members?.word ?? 'members';

  useEffect(() => {
    (finePointer() ? input.current : box.current)?.focus();
  }, []);

  function move(delta: number) {
    if (visible.length === 0) return;
    const next = (Math.min(active, visible.length - 1) + delta + visible.length) % visible.length;
    setActive(next);
    list.current?.children[next]?.scrollIntoView({ block: 'nearest' });
  }

  function toggleTag(tag: TagView | undefined) {
    if (!tag) return;
    setHint(null);
    setChosen((prev) => {
      if (prev.includes(tag.id)) return prev.filter((t) => t !== tag.id);
      if (prev.length >= MAX_TAGS) {
        setHint(`At most ${MAX_TAGS} tags on one observation.`);
        return prev;
      }
      return [...prev, tag.id];
    });
  }

  function pickMember(index: number) {
    const label = members[index];
    if (!label) {
      setHint(props.members === null ? 'This session has no member labels.' : members.length === 0 ? `This session has no ${membersWord} listed yet.` : `There is no member ${index + 1}.`);
      return;
    }
    setHint(null);
    setMember((prev) => (prev === label ? null : label));
  }

  function toggleFlag(on?: boolean) {
    if (coTherapistName === null) {
      setHint('There is no co-therapist in this session to flag it for.');
      return;
    }
    setForCo((v) => on ?? !v);
  }

  function apply(flag: boolean) {
    const picked = chosen.length > 0 ? tags.filter((t) => chosen.includes(t.id)) : activeTag ? [activeTag] : [];
    if (picked.length === 0) {
      setHint('Choose a tag first.');
      return;
    }
    if (flag && coTherapistName === null) {
      setHint('There is no co-therapist in this session to flag it for.');
      return;
    }
    onApply({ tags: picked, member, forCoTherapist: forCo || flag });
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    const handled = () => event.preventDefault();
    if (event.key === 'Escape') {
      handled();
      onClose('escape');
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      handled();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Tab') {
      handled();
      toggleTag(activeTag);
    } else if (event.key === 'Enter' && (event.target as HTMLElement).tagName !== 'BUTTON') {
      handled();
      apply(event.shiftKey);
    } else if (plain && /^[1-9]$/.test(event.key)) {
      handled();
      pickMember(Number(event.key) - 1);
    } else if (plain && event.key === '0') {
      handled();
      setMember(null);
    } else if (plain && event.key === '!') {
      handled();
      toggleFlag();
    } else if (plain && event.target !== input.current && /^\p{L}$/u.test(event.key)) {
      // On a touch screen the focus starts on the palette, not its filter (so that the on-screen
      // keyboard does not cover it). A letter from a keyboard went nowhere there, and Enter took the
      // first tag: "n" then Enter tagged Affect (walk, 6 Dec). It goes into the filter instead.
      handled();
      setFilter((f) => f + event.key);
      setActive(0);
      input.current?.focus();
    }
  }

  // Closes when the focus leaves the palette for somewhere else on the page (not when it moves inside).
  // Switching to another window keeps it open for when the person comes back.
  function handleBlur(event: FocusEvent<HTMLDivElement>) {
    const next = event.relatedTarget as Node | null;
    if (!next && !document.hasFocus()) return;
    if (!next || !box.current?.contains(next)) onClose('away');
  }

  const optionId = (tagId: string) => `${id}-tag-${tagId}`;

  return (
    <div
      ref={box}
      className="palette"
      role="dialog"
      aria-labelledby={`${id}-heading`}
      tabIndex={-1}
      style={position}
      data-testid="tag-palette"
      onKeyDown={handleKeyDown}
      onBlur={handleBlur}
      onMouseDown={(e) => {
        // Keep the focus where it is when a tag or chip is clicked.
        if ((e.target as HTMLElement).tagName !== 'INPUT') e.preventDefault();
      }}
    >
      <p className="palette__heading" id={`${id}-heading`} title={quote ?? undefined}>
        {headingFor(kind, quote)}
      </p>
      {props.wordAtCaret && <p className="palette__note">The word at the cursor. To tag more words, select them first; at the end of a line, the tag takes what you write next.</p>}
      {kind === 'line' && <p className="palette__note">The tag goes where the cursor is; what you write after it on that line is the observation.</p>}
      {kind === 'lineAfter' && <p className="palette__note">The words there are already tagged, so this starts a new line after them.</p>}
      {problem && (
        <p className="palette__problem" role="alert" data-testid="palette-problem">
          {problem}
        </p>
      )}
      <input
        ref={input}
        className="palette__filter"
        value={filter}
        onChange={(e) => {
          setFilter(e.target.value);
          setActive(0);
        }}
        placeholder="Type a tag’s letter or name…"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-activedescendant={activeTag ? optionId(activeTag.id) : undefined}
        aria-label="Filter tags"
        data-testid="palette-filter"
      />
      <ul className="palette__list" id={`${id}-list`} role="listbox" aria-multiselectable="true" aria-label="Tags" ref={list}>
        {visible.map((tag, i) => (
          <li
            key={tag.id}
            id={optionId(tag.id)}
            role="option"
            aria-selected={chosen.includes(tag.id)}
            className={`palette__option${tag === activeTag ? ' palette__option--active' : ''}`}
            onClick={() => toggleTag(tag)}
            onMouseEnter={() => setActive(i)}
            data-testid="palette-option"
            data-tag-key={keys.get(tag.id)}
          >
            <span className="palette__check" aria-hidden="true">
              {chosen.includes(tag.id) ? '✓' : ''}
            </span>
            <span className="tag-dot" style={{ backgroundColor: tag.color }} aria-hidden="true" />
            <span className="palette__name">{tag.name}</span>
            {keys.has(tag.id) && (
              <kbd className="palette__key" aria-hidden="true">
                {keys.get(tag.id)}
              </kbd>
            )}
            <span className="palette__desc">{tag.description}</span>
          </li>
        ))}
        {visible.length === 0 && <li className="palette__empty">No tag matches “{filter}”.</li>}
      </ul>
      {props.members !== null && (
        <div className="palette__row" role="group" aria-label={membersWord}>
          {members.length === 0 ? (
            <span className="muted">No {membersWord} listed for this session.</span>
          ) : (
            members.slice(0, 9).map((label, i) => (
              <button
                key={label}
                type="button"
                tabIndex={-1}
                className="chip"
                aria-pressed={member === label}
                onClick={() => setMember((prev) => (prev === label ? null : label))}
                data-testid="palette-member"
              >
                <kbd>{i + 1}</kbd> {label}
              </button>
            ))
          )}
        </div>
      )}
      {coTherapistName !== null && (
        <div className="palette__row">
          <button type="button" tabIndex={-1} className="chip chip--flag" aria-pressed={forCo} onClick={() => toggleFlag()} data-testid="palette-flag">
            <kbd>!</kbd> For {coTherapistName}
          </button>
        </div>
      )}
      <p className="palette__hint" role="status">
        {hint}
      </p>
      <div className="palette__actions">
        <button type="button" className="button button--small" tabIndex={-1} onClick={() => onClose('escape')} data-testid="palette-cancel">
          Cancel
        </button>
        <button type="button" className="button button--small button--primary" tabIndex={-1} onClick={() => apply(false)} data-testid="palette-apply">
          Tag
        </button>
      </div>
      <p className="palette__keys">
        {paletteKeys
          .filter(([keys]) => (keys !== '1–9' || props.members !== null) && ((keys !== '!' && keys !== 'Shift+Enter') || coTherapistName !== null))
          .map(([keys, what]) => (
            <span key={keys}>
              <kbd>{keys}</kbd> {what}
            </span>
          ))}
      </p>
    </div>
  );
}
