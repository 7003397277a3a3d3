import type { Request } from 'express';
import type { ReviewView } from '../../shared/domain/review';
import type { LoginService, Authenticated } from '../auth/logins';
import type { LoginThrottle } from '../auth/loginThrottle';
import type { CollabServer } from '../collab/CollabServer';
import type { BlindRegistry } from '../learning/blindRegistry';
import type { TagCache } from '../codebook/TagCache';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { AuditRecord, Store } from '../persistence/ports';
import type { ExportOptions } from '../review/reviewDocument';
import type { LiveEvents } from '../supervisor/LiveEvents';

/** What route handlers need, passed in explicitly (no module-level state). */
export interface HttpDeps {
  config: Config;
  store: Store;
  log: Logger;
  logins: LoginService;
  collab: CollabServer;
  tags: TagCache;
  throttle: LoginThrottle;
  /** Which sessions are blind and not yet revealed (read by the write gate). */
  blind: BlindRegistry;
  /** Tells open pages of changes for them (comments, notices). */
  live: LiveEvents;
  /** Lays out a PDF export (`exportPdf`), off the event loop in the server (`threadedPdf`). */
  pdf(review: ReviewView, options: ExportOptions): Promise<Buffer>;
}

/** The login of the current request, set by `authenticate`. */
export type AuthedRequest = Request & { auth: Authenticated };

export function audit(deps: HttpDeps, entry: Omit<AuditRecord, 'at'>): Promise<void> {
  return deps.store.audit.append({ at: Date.now(), ...entry });
}
