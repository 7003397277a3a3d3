import { sessionColors } from '../../../shared/domain/color';
import { answerWords } from '../../../shared/domain/observation';
import { Router } from 'express';
import { z } from 'zod';
import type { DyadRef, DyadView } from '../../../shared/domain/supervisor';
import type { AccountRecord, SessionRecord } from '../../persistence/ports';
import { recordSessionsOf } from '../../members/processNotes';
import { csvTable } from '../../supervisor/csv';
import { totals } from '../../supervisor/dyadFigures';
import { sessionDate } from '../../supervisor/queue';
import { audit, type HttpDeps } from '../context';
import { forbidden } from '../../domain/errors';
import { authed, readsNotes } from '../middleware';
import { parse } from '../validate';

const idsQuery = z
  .object({
    ids: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.uuid({ error: 'give one or two account ids, comma-separated' })).min(1).max(2))
      .refine((ids) => new Set(ids).size === ids.length, 'give two different people'),
  })
  .strict();

/** The dyad across sessions: the pairs and therapists the caller supervises or is, and their trends. */
export function trendRoutes(deps: HttpDeps): Router {
  const r = Router();

  /**
   * Sessions the caller is a member of, with their therapists, oldest first. A group's member notes
   * are left out: they repeat the group note's observations, which would count twice.
   */
  const mySessions = async (account: AccountRecord) => {
    const records = await recordSessionsOf(deps.store, account);
    const derived = await Promise.all(records.map((s) => deps.store.memberNotes.groupOf(s.id)));
    const sessions = records.filter((_, i) => derived[i] === null);
    const withMembers = await Promise.all(sessions.map(async (s) => ({ session: s, members: await deps.store.sessions.members(s.id) })));
    return withMembers.sort((a, b) => sessionDate(a.session) - sessionDate(b.session));
  };

  r.get('/dyads', authed(deps, ['supervisor', 'clinician'], async (req, res) => {
    const accounts = new Map((await deps.store.accounts.list()).map((a) => [a.id, a]));
    const name = (id: string) => accounts.get(id)?.name ?? 'Former member';
    const pairs = new Map<string, DyadRef>();
    const singles = new Map<string, DyadRef>();
    for (const { members } of await mySessions(req.auth.account)) {
      const therapists = members.filter((m) => m.role === 'therapist').map((m) => m.accountId).sort();
      for (const [i, a] of therapists.entries()) {
        const single = singles.get(a) ?? { accountIds: [a], names: [name(a)], sessions: 0 };
        single.sessions++;
        singles.set(a, single);
        for (const b of therapists.slice(i + 1)) {
          const key = `${a},${b}`;
          const pair = pairs.get(key) ?? { accountIds: [a, b], names: [name(a), name(b)], sessions: 0 };
          pair.sessions++;
          pairs.set(key, pair);
        }
      }
    }
    const byName = (x: DyadRef, y: DyadRef) => x.names.join(' ').localeCompare(y.names.join(' '));
    res.json({ pairs: [...pairs.values()].sort(byName), therapists: [...singles.values()].sort(byName) });
  }));

  /** The figures per session for the pair (or one therapist), over the caller's sessions with them. */
  const build = async (account: AccountRecord, ids: string[]): Promise<DyadView> => {
    const accounts = new Map((await deps.store.accounts.list()).map((a) => [a.id, a]));
    const [tagList, codeList] = await Promise.all([deps.store.tags.list(), deps.store.competencies.list()]);
    const tags = new Map(tagList.map((t) => [t.id, t]));
    const codebook = new Map(codeList.map((c) => [c.id, c]));
    const rows = [];
    const shared: SessionRecord[] = [];
    for (const { session, members } of await mySessions(account)) {
      const therapists = members.filter((m) => m.role === 'therapist').map((m) => m.accountId);
      if (!ids.every((id) => therapists.includes(id))) continue;
      shared.push(session);
      const note = await deps.notes.stored(session.id);
      const [events, supervisionNotes, clientAccounts] = await Promise.all([deps.store.events.list(session.id), deps.store.supervisionNotes.list(session.id), deps.store.bindings.forSession(session.id)]);
      rows.push(await deps.notes.read(note, 'dyadFigures', { session: { session, members, events, supervisionNotes, clientAccounts }, therapists: ids, tags, codebook, date: sessionDate(session) }));
    }
    if (shared.length === 0) throw forbidden('You have no sessions with this therapist or pair.');
    // As the pair's sessions colour them: each their own colour (where both have the same, the first
    // of `ids` keeps it; in a session, the first to join).
    const colors = sessionColors(ids);
    return { accountIds: ids, people: ids.map((id) => ({ id, name: accounts.get(id)?.name ?? 'Former member', color: colors.get(id)! })), rows, totals: totals(rows, ids) };
  };

  r.get('/dyads/trend', authed(deps, ['supervisor', 'clinician'], readsNotes(deps, async (req, res) => {
    const { ids } = parse(idsQuery, req.query);
    const view = await build(req.auth.account, ids);
    await audit(deps, { actorId: req.auth.account.id, action: 'trend_read', sessionId: null, detail: { accountIds: ids, sessions: view.rows.length, format: 'json' } });
    res.json(view);
  })));

  r.get('/dyads/trend.csv', authed(deps, ['supervisor', 'clinician'], readsNotes(deps, async (req, res) => {
    const { ids } = parse(idsQuery, req.query);
    const view = await build(req.auth.account, ids);
    await audit(deps, { actorId: req.auth.account.id, action: 'trend_read', sessionId: null, detail: { accountIds: ids, sessions: view.rows.length, format: 'csv' } });
    res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="tandem-dyad.csv"').send(trendCsv(view));
  })));

  return r;
}

const kv = (counts: Record<string, number>) => Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join('; ');

/** One line per session and therapist; quoting (titles with commas, quotes, line breaks) by csv-stringify. */
export function trendCsv(view: DyadView): string {
  const name = (id: string) => view.people.find((p) => p.id === id)?.name ?? id;
  const header = [
    'session date', 'session', 'status', 'returned for revision', 'therapist', 'observations made', 'flagged for the other', `answered ${answerWords.acknowledged} by the other`,
    `answered ${answerWords.disputed} by the other`, 'unanswered', 'median seconds flag to answer', 'late entries', 'by tag', 'by member', 'supervision codes received',
  ];
  const lines = view.rows.flatMap((row) =>
    row.therapists.map((t) => [
      row.date.slice(0, 10), row.title, row.status, row.returned, name(t.accountId), t.made, t.flaggedForOther, t.acknowledgedByOther,
      t.disputedByOther, t.unanswered, t.medianAnswerSeconds ?? '', t.lateEntries, kv(t.byTag), kv(t.byMember), kv(t.codes),
    ]),
  );
  return csvTable(header, lines);
}
