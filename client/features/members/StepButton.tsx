/**
 * A step on the process notes that cannot be taken back (share, remove): the first press opens it,
 * the second does it, so one slip of the mouse does neither.
 */
export function StepButton(props: {
  open: boolean;
  onOpen: () => void;
  onConfirm: () => void;
  busy: boolean;
  /** The first press's label, and the confirming press's. */
  label: string;
  confirmLabel: string;
  tone: 'primary' | 'danger';
  testId: string;
}) {
  return props.open ? (
    <button type="button" className={`button button--small button--${props.tone}`} disabled={props.busy} onClick={props.onConfirm} data-testid={`${props.testId}-confirm`}>
      {props.confirmLabel}
    </button>
  ) : (
    <button type="button" className="button button--small" onClick={props.onOpen} data-testid={props.testId}>
      {props.label}
    </button>
  );
}
