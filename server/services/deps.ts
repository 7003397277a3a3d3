import type { NoteReadLog } from '../audit/NoteReadLog';
import type { LoginService } from '../auth/logins';
import type { CollabServer } from '../collab/CollabServer';
import type { Config } from '../config';
import type { BlindRegistry } from '../learning/blindRegistry';
import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { NoteReader } from '../review/noteReader';
import type { AccessRevocation } from './accessRevocation';

/**
 * What the services (and the domain modules beside them) are given, passed in explicitly by the
 * composition root; each takes the `Pick` it uses. The HTTP edge's own needs extend this
 * (http/context.ts), never the other way round.
 */
export interface ServiceDeps {
  config: Config;
  store: Store;
  log: Logger;
  logins: LoginService;
  /** The live notes: draining a note's pending saves, changing it on the server's authority. */
  collab: CollabServer;
  /** Takes access back from open websockets, here and on every other process. */
  access: AccessRevocation;
  /** Which sessions are blind and not yet revealed (read by the write gate). */
  blind: BlindRegistry;
  /** Reads whole stored notes (review, export, digest, risk gate…) off the event loop. */
  notes: NoteReader;
  /** Records in the audit log who is sent a note's content over HTTP (repeats within the visit gap as one). */
  noteReads: NoteReadLog;
}
