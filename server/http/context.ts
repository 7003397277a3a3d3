import type { HeldBytes } from '../ops/heldBytes';
import type { Request } from 'express';
import type { Authenticated } from '../auth/logins';
import type { LoginThrottle } from '../auth/loginThrottle';
import type { PasswordWork } from '../auth/passwordWork';
import type { TagCache } from '../codebook/TagCache';
import type { AuditRecord } from '../persistence/ports';
import type { ServiceDeps } from '../services/deps';
import type { LiveEvents } from '../supervisor/LiveEvents';

/** What route handlers need, passed in explicitly (no module-level state): the services' deps and the edge's own. */
export interface HttpDeps extends ServiceDeps {
  tags: TagCache;
  throttle: LoginThrottle;
  /** Every password hashed or checked goes through it (passwordWork.ts). */
  passwords: PasswordWork;
  /** Tells open pages of changes for them (comments, notices). */
  live: LiveEvents;
  /** Request bodies being read (heldBodies.ts). */
  bodies: HeldBytes;
  /** Bytes queued for peers that do not read: responses not taken yet (heldResponses.ts). */
  queued: HeldBytes;
}

/** The login of the current request, set by `authenticate`. */
export type AuthedRequest = Request & { auth: Authenticated };

/** Where a request came from, as the throttles and password bounds count it. */
export function addressOf(req: Request): string {
  return req.ip ?? 'unknown';
}

export function audit(deps: HttpDeps, entry: Omit<AuditRecord, 'at'>): Promise<void> {
  return deps.store.audit.append({ at: Date.now(), ...entry });
}
