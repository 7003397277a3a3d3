import type { RequestHandler } from 'express';
import type { HeldBytes, HeldLimits } from '../ops/heldBytes';
import { addressOf } from './context';

/**
 * Request bodies being read: 2 MiB per client address (twenty of the largest JSON bodies, 100 kB;
 * an honest page sends a few small ones at a time), 32 MiB in all. A peer that sends part of a body
 * and waits holds it until Node's request timeout (5 min by default): without a bound, anyone who
 * can reach the port could park 100 kB on each of thousands of connections (the kind of the
 * unfinished websocket messages of 6 Dec, before a login).
 */
export const REQUEST_BODY_LIMITS: HeldLimits = { perKey: 2 * 1024 * 1024, inAll: 32 * 1024 * 1024 };

/**
 * Counts each request's body bytes from arrival until it has been read, in `held`; a request
 * dropped for passing a bound has its connection destroyed. Must come right before the body parser:
 * it sets the body flowing, and the parser must be listening by the time the first chunk flows.
 */
export function boundBodies(held: HeldBytes): RequestHandler {
  return (req, _res, next) => {
    // A request without a body is left as it is: counting sets a body flowing to its end.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return next();
    const holder = held.holder(`address:${addressOf(req)}`, () => req.socket.destroy());
    req.on('data', (chunk: Buffer) => holder.add(chunk.byteLength));
    req.once('end', () => holder.remove());
    req.once('close', () => holder.remove());
    next();
  };
}
