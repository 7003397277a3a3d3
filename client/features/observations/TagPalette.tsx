/**
 * The tag palette: opened by a shortcut at the selection (or the cursor), worked entirely from the
 * keyboard. Typing filters the codebook, ↑/↓ move, Tab chooses a tag (several allowed), digits
 * pick a group member, "!" flags it for the co-therapist, Enter applies, Escape closes and leaves
 * the text untouched. It floats above the note, so nothing in the note moves.
 */
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TagView } from '../../../shared/domain/tag';
import type { FloatingPosition } from './palettePosition';
import { paletteKeys } from './shortcuts';

export interface PaletteChoice {
  tags: TagView[];
  member: string | null;
  forCoTherapist: boolean;
}

interface TagPaletteProps {
  /** What will be tagged: the selected text, or null for a new tagged line. */
  quote: string | null;
  /** Set when the selection overlaps tagged text, so the new observation becomes a line. */
  overlapsTagged: boolean;
  tags: TagView[];
  groupMembers: string[];
  coTherapistName: string | null;
  position: FloatingPosition;
  onApply(choice: PaletteChoice): void;
  /** `escape`: back to the editor; `blur`: the person went somewhere else, leave them there. */
  onClose(how: 'escape' | 'blur'): void;
}

const MAX_TAGS = 5;
export const PALETTE_WIDTH = 340;
export const PALETTE_HEIGHT = 420;

export function TagPalette(props: TagPaletteProps) {
  const { quote, overlapsTagged, tags, groupMembers, coTherapistName, position, onApply, onClose } = props;
  const id = useId();
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const [chosen, setChosen] = useState<string[]>([]);
  const [member, setMember] = useState<string | null>(null);
  const [forCo, setForCo] = useState(false);
  const [hint, setHint] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);

  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!q) return tags;
    const starts = tags.filter((t) => t.name.toLowerCase().startsWith(q));
    const contains = tags.filter((t) => !starts.includes(t) && (t.name.toLowerCase().includes(q) || t.description.toLowerCase().includes(q)));
    return [...starts, ...contains];
  }, [filter, tags]);
  const activeTag = visible[Math.min(active, visible.length - 1)];

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
    const label = groupMembers[index];
    if (!label) {
      setHint(groupMembers.length === 0 ? 'This session has no group members yet.' : `There is no member ${index + 1}.`);
      return;
    }
    setHint(null);
    setMember((prev) => (prev === label ? null : label));
  }

  function apply() {
    const picked = chosen.length > 0 ? tags.filter((t) => chosen.includes(t.id)) : activeTag ? [activeTag] : [];
    if (picked.length === 0) {
      setHint('Choose a tag first.');
      return;
    }
    onApply({ tags: picked, member, forCoTherapist: forCo });
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose('escape');
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Tab') {
      event.preventDefault();
      toggleTag(activeTag);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      apply();
    } else if (plain && /^[1-9]$/.test(event.key)) {
      event.preventDefault();
      pickMember(Number(event.key) - 1);
    } else if (plain && event.key === '0') {
      event.preventDefault();
      setMember(null);
    } else if (plain && event.key === '!') {
      event.preventDefault();
      setForCo((v) => !v);
    }
  }

  const optionId = (tagId: string) => `${id}-tag-${tagId}`;
  const heading = quote === null || overlapsTagged ? 'Add a tagged line' : `Tag “${quote}”`;

  return (
    <div
      className="palette"
      role="dialog"
      aria-label="Tag palette"
      style={{ ...position, width: PALETTE_WIDTH }}
      data-testid="tag-palette"
      onMouseDown={(e) => {
        // Keep the focus in the filter field when a tag or chip is clicked.
        if ((e.target as HTMLElement).tagName !== 'INPUT') e.preventDefault();
      }}
    >
      <p className="palette__heading">{heading}</p>
      {overlapsTagged && <p className="palette__note">Part of the selection is already tagged, so this becomes a new line after it.</p>}
      <input
        className="palette__filter"
        autoFocus
        value={filter}
        onChange={(e) => {
          setFilter(e.target.value);
          setActive(0);
        }}
        onKeyDown={handleKeyDown}
        onBlur={() => onClose('blur')}
        placeholder="Filter tags…"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-activedescendant={activeTag ? optionId(activeTag.id) : undefined}
        aria-label="Filter tags"
        data-testid="palette-filter"
      />
      <ul className="palette__list" id={`${id}-list`} role="listbox" aria-multiselectable="true" ref={list}>
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
          >
            <span className="palette__check" aria-hidden="true">
              {chosen.includes(tag.id) ? '✓' : ''}
            </span>
            <span className="tag-dot" style={{ backgroundColor: tag.color }} aria-hidden="true" />
            <span className="palette__name">{tag.name}</span>
            <span className="palette__desc">{tag.description}</span>
          </li>
        ))}
        {visible.length === 0 && <li className="palette__empty">No tag matches “{filter}”.</li>}
      </ul>
      <div className="palette__row" aria-label="Group member">
        {groupMembers.length === 0 ? (
          <span className="muted">No group members listed for this session.</span>
        ) : (
          groupMembers.slice(0, 9).map((label, i) => (
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
      <div className="palette__row">
        <button
          type="button"
          tabIndex={-1}
          className="chip chip--flag"
          aria-pressed={forCo}
          onClick={() => setForCo((v) => !v)}
          data-testid="palette-flag"
        >
          <kbd>!</kbd> For {coTherapistName ?? 'my co-therapist'}
        </button>
      </div>
      <p className="palette__hint" role="status">
        {hint}
      </p>
      <p className="palette__keys">
        {paletteKeys.map(([keys, what]) => (
          <span key={keys}>
            <kbd>{keys}</kbd> {what}
          </span>
        ))}
      </p>
    </div>
  );
}
