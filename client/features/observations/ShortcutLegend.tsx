import { useEffect, useRef } from 'react';
import { formatCommands } from '../../editor/toolbar/formatCommands';
import { paletteKeys, shortcuts } from './shortcuts';

interface ShortcutLegendProps {
  open: boolean;
  onToggle(open: boolean): void;
  canWrite: boolean;
}

/** Every shortcut on the page, in a disclosure the help shortcut (or a click) opens. */
export function ShortcutLegend({ open, onToggle, canWrite }: ShortcutLegendProps) {
  const mine = shortcuts.filter((s) => canWrite || !s.writersOnly);
  const ref = useRef<HTMLDetailsElement>(null);
  // Opened by its shortcut, it may sit below the fold of the side column: bring it into view.
  useEffect(() => {
    if (open) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [open]);
  return (
    <details
      ref={ref}
      className="panel legend"
      open={open}
      onToggle={(e) => onToggle((e.currentTarget as HTMLDetailsElement).open)}
      data-testid="shortcut-legend"
    >
      <summary className="legend__summary">Keyboard shortcuts</summary>
      <dl className="legend__list">
        {mine.map((s) => (
          <div key={s.id} className="legend__row">
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{s.what}</dd>
          </div>
        ))}
      </dl>
      {canWrite && (
        <>
          <h3 className="legend__title">In the tag palette</h3>
          <dl className="legend__list">
            {paletteKeys.map(([keys, what]) => (
              <div key={keys} className="legend__row">
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
          <h3 className="legend__title">Formatting</h3>
          <dl className="legend__list">
            {formatCommands.map((c) => (
              <div key={c.id} className="legend__row">
                <dt>
                  <kbd>{c.shortcut}</kbd>
                </dt>
                <dd>{c.name}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </details>
  );
}
