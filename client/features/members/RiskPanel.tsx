import { useEffect, useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import type { RiskEntry } from '../../../shared/domain/risk';
import { sessionDoc } from '../../../shared/ydoc/sessionDoc';

interface RiskPanelProps {
  doc: Y.Doc;
  /** Members tagged risk/safety (in this note, or for a member note in its group note). */
  flagged: readonly string[];
  records: ReadonlyMap<string, RiskEntry>;
  me: string;
  canWrite: boolean;
  nameOf(accountId: string): string;
}

/**
 * Each member tagged risk/safety, with their risk assessment and safety plan. Saving writes the
 * record in the writer's name (the server refuses any other); signing waits until both are there.
 */
export function RiskPanel({ doc, flagged, records, me, canWrite, nameOf }: RiskPanelProps) {
  if (flagged.length === 0) return null;
  return (
    <section className="panel risk-panel" aria-labelledby="risk-title" data-testid="risk-panel">
      <h2 className="panel__title" id="risk-title">
        Risk assessments
      </h2>
      {flagged.map((member) => (
        <RiskForm key={member} doc={doc} member={member} entry={records.get(member) ?? null} me={me} canWrite={canWrite} nameOf={nameOf} />
      ))}
    </section>
  );
}

function RiskForm({ doc, member, entry, me, canWrite, nameOf }: { doc: Y.Doc; member: string; entry: RiskEntry | null; me: string; canWrite: boolean; nameOf(id: string): string }) {
  const [assessment, setAssessment] = useState(entry?.assessment ?? '');
  const [plan, setPlan] = useState(entry?.plan ?? '');
  // The co-therapist's saved record replaces what is shown, unless this person is typing a change.
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (dirty) return;
    setAssessment(entry?.assessment ?? '');
    setPlan(entry?.plan ?? '');
  }, [entry, dirty]);
  const save = (e: FormEvent) => {
    e.preventDefault();
    sessionDoc(doc).risk.set(member, { assessment: assessment.trim(), plan: plan.trim(), by: me, at: Date.now() });
    setDirty(false);
  };
  const complete = Boolean(entry?.assessment.trim() && entry.plan.trim());
  return (
    <form className="form form--compact risk-panel__member" onSubmit={save} data-testid={`risk-${member}`}>
      <h3 className="risk-panel__member-title">
        <span className="member-badge">{member}</span>{' '}
        <span className={complete ? 'risk-panel__state risk-panel__state--ok' : 'risk-panel__state'}>
          {complete ? `recorded by ${nameOf(entry!.by)}` : 'needed before signing'}
        </span>
      </h3>
      <label className="field">
        <span className="field__label">Risk assessment</span>
        <textarea rows={3} value={assessment} readOnly={!canWrite} onChange={(e) => { setAssessment(e.target.value); setDirty(true); }} data-testid={`risk-assessment-${member}`} />
      </label>
      <label className="field">
        <span className="field__label">Safety plan</span>
        <textarea rows={2} value={plan} readOnly={!canWrite} onChange={(e) => { setPlan(e.target.value); setDirty(true); }} data-testid={`risk-plan-${member}`} />
      </label>
      {canWrite && (
        <button type="submit" className="button button--small button--primary" disabled={!dirty || !assessment.trim() || !plan.trim()} data-testid={`risk-save-${member}`}>
          Save for {member}
        </button>
      )}
    </form>
  );
}
