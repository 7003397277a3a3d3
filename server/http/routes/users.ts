import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { createUserBodySchema, updateUserBodySchema } from '../../../shared/domain/account';
import { hashPassword } from '../../auth/passwords';
import { accountSessions } from '../../services/accountSessions';
import { assertKeepsAnAdmin, createAccount, endLoginsByAdmin, updateAccount } from '../../services/accountAccess';
import { readAfterStored } from '../../services/afterStored';
import { addressOf, type HttpDeps } from '../context';
import { tellKeepersOfAccount } from '../tellPages';
import { notFound, conflict } from '../../domain/errors';
import { authed } from '../middleware';
import { presentAccount } from '../presenters';
import { parse } from '../validate';
import { mayHold } from '../../services/memberGrants';
import { noticesOfStoredStep } from '../../supervisor/commentNotices';
import { tellSignersOfAccountChange } from '../../supervisor/accountChangeNotices';

const idParam = z.object({ id: z.uuid() });

export function userRoutes(deps: HttpDeps): Router {
  const r = Router();
  // Account changes run one at a time (in this process), so two admins demoting each other at
  // once cannot both pass the last-admin check.
  let previous: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(change: () => Promise<T>): Promise<T> => {
    const run = previous.then(change, change);
    previous = run.catch(() => {});
    return run;
  };

  // Admins manage everyone; clinicians see the active clinicians and supervisors they can add to a session.
  r.get('/users', authed(deps, ['admin', 'clinician'], async (req, res) => {
    const all = await deps.store.accounts.list();
    const visible = req.auth.account.role === 'admin' ? all : all.filter((a) => a.active && a.role !== 'admin');
    res.json(visible.map(presentAccount));
  }));

  r.post('/users', authed(deps, ['admin'], async (req, res) => {
    const body = parse(createUserBodySchema, req.body);
    if (await deps.store.accounts.byEmail(body.email)) throw conflict('email_taken', 'An account with this email already exists.');
    const id = randomUUID();
    await createAccount(deps, req.auth.account.id, {
      id, email: body.email, name: body.name, role: body.role, active: true, createdAt: Date.now(),
      passwordHash: await deps.passwords.run(addressOf(req), () => hashPassword(body.password, deps.config.scryptN)),
    });
    res.status(201).json({ id });
  }));

  r.patch('/users/:id', authed(deps, ['admin'], async (req, res) => {
    const { id } = parse(idParam, req.params);
    const patch = parse(updateUserBodySchema, req.body);
    const { before, after } = await oneAtATime(async () => {
      const found = await deps.store.accounts.byId(id);
      if (!found) throw notFound('The account');
      await assertKeepsAnAdmin(deps, found, patch);
      return { before: found, after: await updateAccount(deps, req.auth.account.id, found, patch) };
    });
    // Notes that now wait for nobody but those who signed are not locked for them: they are told;
    // one who can sign again hears of notes locked meanwhile without them.
    await noticesOfStoredStep(deps, () => tellSignersOfAccountChange(deps, id, req.auth.account.id, mayHold(before, 'therapist')));
    // Stored, the change stands: the account is answered as it made it when it cannot be read again
    // (before, 7 Dec: 503 for a change that stood).
    res.json(presentAccount(await readAfterStored(deps, 'reading the account', async () => (await deps.store.accounts.byId(id)) ?? after, () => after)));
    if (patch.active !== undefined || patch.role !== undefined) tellKeepersOfAccount(deps, id);
  }));

  // The sessions an account is a member of, for the admin to change its memberships (titles only).
  r.get('/users/:id/sessions', authed(deps, ['admin'], async (req, res) => {
    const { id } = parse(idParam, req.params);
    if (!(await deps.store.accounts.byId(id))) throw notFound('The account');
    res.json(await accountSessions(deps, id));
  }));

  // An admin ends every login of an account (a lost laptop, a shared password): its sockets close with 4401.
  r.delete('/users/:id/logins', authed(deps, ['admin'], async (req, res) => {
    const { id } = parse(idParam, req.params);
    if (!(await deps.store.accounts.byId(id))) throw notFound('The account');
    res.json({ ended: await endLoginsByAdmin(deps, req.auth.account.id, id) });
  }));

  return r;
}
