import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { changePasswordBodySchema, loginBodySchema, setupBodySchema } from '../../../shared/domain/account';
import { SESSION_COOKIE } from '../../auth/logins';
import { hashPassword, verifyPassword } from '../../auth/passwords';
import { audited } from '../../audit/audited';
import { StaleWriteError } from '../../persistence/storageBoundary';
import { changePassword, logOut } from '../../services/accountAccess';
import { addressOf, audit, type HttpDeps } from '../context';
import { invalid, unauthenticated, conflict, rateLimited } from '../../domain/errors';
import { authed, route } from '../middleware';
import { presentAccount } from '../presenters';
import { parse } from '../validate';

export function authRoutes(deps: HttpDeps): Router {
  const r = Router();
  /** A hash to verify against when the email is unknown, so response timing does not tell. */
  let decoyHash: Promise<string> | null = null;
  const setCookie = (req: Request, res: Response, token: string) =>
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: deps.config.absoluteTimeoutMs,
    });

  r.get('/setup', route(async (_req, res) => {
    res.json({ needed: (await deps.store.accounts.count()) === 0 });
  }));

  r.post('/setup', route(async (req, res) => {
    const body = parse(setupBodySchema, req.body);
    const account = {
      id: randomUUID(), email: body.email, name: body.name, role: 'admin' as const,
      passwordHash: await deps.passwords.run(addressOf(req), () => hashPassword(body.password, deps.config.scryptN)), active: true, createdAt: Date.now(),
    };
    const { token, write } = deps.logins.issue(account.id);
    // The first account, its first login and the record of the setup, together or not at all.
    await deps.store.commit([{ kind: 'createFirstAccount', account }, write, audited({ actorId: account.id, action: 'setup', sessionId: null, detail: {} })]).catch((err: unknown) => {
      throw err instanceof StaleWriteError ? conflict('already_set_up', 'Tandem is already set up; log in instead.') : err;
    });
    setCookie(req, res, token);
    res.status(201).json({ user: presentAccount(account) });
  }));

  r.post('/auth/login', route(async (req, res) => {
    const body = parse(loginBodySchema, req.body);
    const address = addressOf(req);
    const wait = await deps.throttle.retryAfterSeconds(body.email, address);
    if (wait > 0) {
      throw rateLimited('too_many_attempts', `Too many failed logins. Try again in ${wait} seconds.`, wait);
    }
    const account = await deps.store.accounts.byEmail(body.email);
    decoyHash ??= hashPassword(randomUUID(), deps.config.scryptN);
    const stored = account?.passwordHash ?? (await decoyHash);
    const ok = await deps.passwords.run(address, () => verifyPassword(body.password, stored));
    if (!account || !ok || !account.active) {
      await deps.throttle.fail(body.email, address);
      await audit(deps, { actorId: account?.id ?? null, action: 'login_failed', sessionId: null, detail: { address, reason: account && ok ? 'inactive' : 'bad_credentials' } });
      throw unauthenticated('bad_credentials', 'Email or password is wrong, or the account is deactivated.');
    }
    await deps.throttle.succeed(body.email, address);
    const { token, write } = deps.logins.issue(account.id);
    await deps.store.commit([write, audited({ actorId: account.id, action: 'login', sessionId: null, detail: { address } })]);
    setCookie(req, res, token);
    res.json({ user: presentAccount(account) });
  }));

  r.post('/auth/logout', authed(deps, null, async (req, res) => {
    await logOut(deps, req.auth);
    res.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).end();
  }));

  r.get('/me', authed(deps, null, async (req, res) => {
    res.json(presentAccount(req.auth.account));
  }));

  r.post('/me/password', authed(deps, null, async (req, res) => {
    const body = parse(changePasswordBodySchema, req.body);
    if (!(await deps.passwords.run(addressOf(req), () => verifyPassword(body.currentPassword, req.auth.account.passwordHash)))) {
      throw invalid('wrong_password', 'The current password is wrong.', 'currentPassword');
    }
    await changePassword(deps, req.auth, await deps.passwords.run(addressOf(req), () => hashPassword(body.newPassword, deps.config.scryptN)));
    res.status(204).end();
  }));

  return r;
}
