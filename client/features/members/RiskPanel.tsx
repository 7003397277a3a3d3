import { useEffect, useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { RISK_PART_NAMES, RISK_PARTS, riskPartAuthor, riskPartsBy, type RiskEntry, type RiskPart } from '../../../shared/domain/risk';
import { sessionDoc } from '../../../shared/ydoc/sessionDoc';

interface RiskPanelProps {
  doc: Y.Doc;
  /** Members tagged risk/safety (in this note, or for a member note in its group note). */
  flagged: readonly string[];
  records: ReadonlyMap<string, RiskEntry>;
  /** My saves that a concurrent save replaced, by member (useReplacedRiskSaves). */
  replaced: ReadonlyMap<string, RiskEntry>;
  /** The person has answered a replaced save's notice. */
  onSettled(member: string): void;
  me: string;
  canWrite: boolean;
  nameOf(accountId: string): string;
}

/**
 * Each member tagged risk/safety, with their risk assessment and safety plan. Saving writes the
 * record in the writer's name, each part in its writer's (the server refuses any other); either
 * part may be saved first, and signing waits until both are there.
 */
export function RiskPanel({ doc, flagged, records, replaced, onSettled, me, canWrite, nameOf }: RiskPanelProps) {
  if (flagged.length === 0) return null;
  return (
    <section className="panel risk-panel" aria-labelledby="risk-title" data-testid="risk-panel">
      <h2 className="panel__title" id="risk-title">
        Risk assessments
      </h2>
      {flagged.map((member) => (
        <RiskForm
          key={member}
          doc={doc}
          member={member}
          entry={records.get(member) ?? null}
          replacedMine={replaced.get(member) ?? null}
          settle={() => onSettled(member)}
          me={me}
          canWrite={canWrite}
          nameOf={nameOf}
        />
      ))}
    </section>
  );
}

/** Whether two risk records are the same save (null: none yet). */
const sameSave = (a: RiskEntry | null, b: RiskEntry | null) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The record as I save it: my words in my name; a part I left as the record has it keeps its
 * writer's name (the server lets it only for those very words).
 */
function mySave(current: RiskEntry | null, me: string, text: Record<RiskPart, string>): RiskEntry {
  const author = (part: RiskPart) => (current && current[part] === text[part] ? riskPartAuthor(current, part) : me);
  return { assessment: text.assessment, plan: text.plan, by: me, at: Date.now(), assessmentBy: author('assessment'), planBy: author('plan') };
}

/** Who wrote the record, in words: one name, or each part's. */
function writtenBy(entry: RiskEntry, nameOf: (id: string) => string): string {
  const [assessment, plan] = RISK_PARTS.map((part) => (entry[part].trim() ? nameOf(riskPartAuthor(entry, part)) : null));
  if (assessment && plan && assessment !== plan) return `assessment by ${assessment}, plan by ${plan}`;
  return `recorded by ${assessment ?? plan ?? nameOf(entry.by)}`;
}

interface RiskFormProps {
  doc: Y.Doc;
  member: string;
  entry: RiskEntry | null;
  replacedMine: RiskEntry | null;
  settle(): void;
  me: string;
  canWrite: boolean;
  nameOf(id: string): string;
}

function RiskForm({ doc, member, entry, replacedMine, settle, me, canWrite, nameOf }: RiskFormProps) {
  const [assessment, setAssessment] = useState(entry?.assessment ?? '');
  const [plan, setPlan] = useState(entry?.plan ?? '');
  // The record as it was when I began to change it: another's save since then is shown to me, and
  // mine does not replace it unasked (a co-therapist's assessment was overwritten unseen by a draft
  // begun before it: walk, 4 Dec). Null while I change nothing: the fields follow the record.
  // `putBack`: the fields hold my replaced words, put back to be weighed against the record as it is.
  const [base, setBase] = useState<{ entry: RiskEntry | null; putBack?: boolean } | null>(null);
  const dirty = base !== null;
  useEffect(() => {
    if (dirty) return;
    setAssessment(entry?.assessment ?? '');
    setPlan(entry?.plan ?? '');
  }, [entry, dirty]);
  const edit = (set: (v: string) => void) => (value: string) => {
    setBase((b) => b ?? { entry });
    set(value);
  };
  const fields: Record<RiskPart, string> = { assessment, plan };
  /** Whether `part` is mine to save: changed since I began (its field differs from the record I began from), or put back. */
  const edited = (part: RiskPart) => base !== null && (base.putBack === true || fields[part] !== (base.entry?.[part] ?? ''));
  // Another's save of only the parts I left as they were is no conflict: those fields take their
  // words and I go on from their record (walk, 6 Dec: her assessment and his plan, saved a moment
  // apart, asked one of them to choose, and "Save mine" then erased her assessment).
  useEffect(() => {
    if (!base || base.putBack || sameSave(entry, base.entry)) return;
    const theirs = RISK_PARTS.filter((part) => (entry?.[part] ?? '') !== (base.entry?.[part] ?? ''));
    if (theirs.some((part) => fields[part] !== (base.entry?.[part] ?? ''))) return;
    if (theirs.includes('assessment')) setAssessment(entry?.assessment ?? '');
    if (theirs.includes('plan')) setPlan(entry?.plan ?? '');
    setBase({ entry });
  }, [entry, base, assessment, plan]);
  const savedMeanwhile = dirty && !sameSave(entry, base.entry) ? entry : null;
  const write = () => {
    const current = sessionDoc(doc).risk.get(member) ?? null;
    // A part I did not change is saved as the record has it now, not as it stood when I began.
    const text = (part: RiskPart) => (edited(part) ? fields[part] : (current?.[part] ?? '')).trim();
    sessionDoc(doc).risk.set(member, mySave(current, me, { assessment: text('assessment'), plan: text('plan') }));
    setBase(null);
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!savedMeanwhile) write();
  };
  // Only the words I wrote come back: a part the replaced record held in another's name would be
  // saved in mine (the server lets another's name stand only for the record's present words). The
  // fields are then mine as if begun from my record, so the record as it is shows beside them as
  // saved meanwhile, to keep or to save over knowingly (walk, 5 Dec: once put back, her words were
  // shown nowhere, and saving replaced them unseen).
  const putMineBack = (mine: RiskEntry) => {
    const back = (part: RiskPart) => (riskPartAuthor(mine, part) === me ? mine[part] : (entry?.[part] ?? ''));
    setBase({ entry: mine, putBack: true });
    setAssessment(back('assessment'));
    setPlan(back('plan'));
    settle();
  };
  const complete = Boolean(entry?.assessment.trim() && entry.plan.trim());
  return (
    <form className="form form--compact risk-panel__member" onSubmit={save} data-testid={`risk-${member}`}>
      <h3 className="risk-panel__member-title">
        <span className="member-badge">{member}</span>{' '}
        <span className={complete ? 'risk-panel__state risk-panel__state--ok' : 'risk-panel__state'}>
          {complete ? writtenBy(entry!, nameOf) : `${stillNeeded(entry)} needed before signing`}
        </span>
      </h3>
      {replacedMine && entry && (
        <div className="notice notice--warning risk-panel__meanwhile" role="alert" data-testid={`risk-replaced-${member}`}>
          <p>
            {entry.by === me ? 'A save of yours in another tab' : `${nameOf(entry.by)}’s save`}, made without seeing yours (offline, or at the same moment), replaced
            your record. What you wrote in it: {riskPartsBy(replacedMine, me).map(([part, words]) => `${RISK_PART_NAMES[part]} “${words}”`).join(', ')}.
          </p>
          <div className="notice__actions">
            <button type="button" className="button button--small" onClick={settle} data-testid={`risk-keep-${member}`}>
              {entry.by === me ? 'Keep the other tab’s' : 'Keep theirs'}
            </button>
            {canWrite && !dirty && (
              <button type="button" className="button button--small" onClick={() => putMineBack(replacedMine)} data-testid={`risk-putback-${member}`}>
                Put mine back in the fields
              </button>
            )}
          </div>
        </div>
      )}
      {savedMeanwhile && (
        <div className="notice notice--warning risk-panel__meanwhile" role="alert" data-testid={`risk-meanwhile-${member}`}>
          <p>
            {savedMeanwhile.by === me ? 'You saved this record in another tab' : `${nameOf(savedMeanwhile.by)} saved this record`} while you were writing. Theirs: assessment “{savedMeanwhile.assessment || 'none'}”, plan “{savedMeanwhile.plan || 'none'}”. Your words are still in the fields.
          </p>
          <div className="notice__actions">
            <button type="button" className="button button--small" onClick={() => setBase(null)} data-testid={`risk-theirs-${member}`}>
              Use theirs
            </button>
            <button type="button" className="button button--small" onClick={write} data-testid={`risk-mine-${member}`}>
              Save mine instead
            </button>
          </div>
        </div>
      )}
      <label className="field">
        <span className="field__label">Risk assessment</span>
        <textarea rows={3} value={assessment} readOnly={!canWrite} onChange={(e) => edit(setAssessment)(e.target.value)} data-testid={`risk-assessment-${member}`} />
      </label>
      <label className="field">
        <span className="field__label">Safety plan</span>
        <textarea rows={2} value={plan} readOnly={!canWrite} onChange={(e) => edit(setPlan)(e.target.value)} data-testid={`risk-plan-${member}`} />
      </label>
      {canWrite && (
        <button type="submit" className="button button--small button--primary" disabled={!dirty || Boolean(savedMeanwhile) || !(assessment.trim() || plan.trim())} data-testid={`risk-save-${member}`}>
          Save for {member}
        </button>
      )}
    </form>
  );
}

/** What a record still lacks, named: after saving an assessment alone, "needed before signing" said nothing of the plan (walk, 4 Dec). */
function stillNeeded(entry: RiskEntry | null): string {
  const assessment = Boolean(entry?.assessment.trim());
  const plan = Boolean(entry?.plan.trim());
  if (assessment && !plan) return 'assessment saved; safety plan';
  if (plan && !assessment) return 'safety plan saved; risk assessment';
  return 'risk assessment and safety plan';
}
