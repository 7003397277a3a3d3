import type { RequestHandler, Response } from 'express';
import type { HeldBytes } from '../ops/heldBytes';
import { addressOf } from './context';

/** Marks a response as its account's: its untaken bytes count with the account's websockets. */
export function answersFor(res: Response, accountId: string): void {
  res.locals.heldBy = `account:${accountId}`;
}

/**
 * Counts each response's bytes that its peer has not taken yet (queued in the process once the
 * handler ended it) in `held`, the ledger of bytes queued for peers that do not read, under the
 * account that asked (websockets count there too; a request without a login, under its address),
 * until they have all gone out or the socket closed. A response dropped for passing the bound has
 * its socket destroyed, which frees them. Attack, 6 Dec: a therapist asked for a 4 MB export 150
 * times over sockets that never read; Node kept every answer's untaken bytes (it has no write
 * timeout), counted nowhere: the server's RSS grew from 337 to 505 MB in a minute.
 */
export function boundResponses(held: HeldBytes): RequestHandler {
  return (req, res, next) => {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      const out = end(...args);
      if (res.writableFinished || res.destroyed) return out;
      const by = typeof res.locals.heldBy === 'string' ? res.locals.heldBy : `address:${addressOf(req)}`;
      const holder = held.holder(by, () => res.destroy());
      res.once('finish', () => holder.remove());
      res.once('close', () => holder.remove());
      holder.add(res.writableLength);
      return out;
    }) as Response['end'];
    next();
  };
}
