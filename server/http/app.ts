import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import type { HttpDeps } from './context';
import { notFound } from '../domain/errors';
import { errorHandler, refuseReservedKeys, route, sameOriginWrites } from './middleware';
import { boundBodies } from './heldBodies';
import { boundResponses } from './heldResponses';
import { originPolicy } from '../auth/origin';
import { requireMetricsToken } from '../ops/metricsAuth';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { blindRoutes } from './routes/blind';
import { concordanceRoutes } from './routes/concordance';
import { debriefRoutes } from './routes/debrief';
import { processNoteRoutes } from './routes/processNotes';
import { memberNoteRoutes } from './routes/memberNotes';
import { lifecycleRoutes } from './routes/lifecycle';
import { loginThrottleRoutes } from './routes/loginThrottles';
import { reviewRoutes } from './routes/review';
import { sessionRoutes } from './routes/sessions';
import { supervisorRoutes } from './routes/supervisor';
import { trendRoutes } from './routes/trends';
import { tagRoutes } from './routes/tags';
import { userRoutes } from './routes/users';

/** Built files that name the others (the service worker, its manifest, the page): never served stale. */
const ALWAYS_REVALIDATED = new Set(['sw.js', 'index.html', 'manifest.webmanifest']);

/** Request bodies are small JSON; notes travel over the websocket, not through here. */
const JSON_LIMIT = '100kb';

/**
 * Builds the Express app (no listening): API, operations (`ops`: /healthz and /metrics, from
 * server/ops/opsRoutes.ts), and the built client.
 */
export function createApp(deps: HttpDeps, ops: express.Router): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.config.trustProxy) app.set('trust proxy', 1);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // 'self' covers ws: and wss: to our own host (CSP Level 3, every current browser):
          // a script injected into the page cannot send the note to another host over a websocket.
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          // Off: clinics may serve plain HTTP on a LAN; forcing https would break every request there.
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(sameOriginWrites(originPolicy(deps.config.allowedOrigins, deps.config.trustProxy)));
  api.use(boundBodies(deps.bodies));
  api.use(boundResponses(deps.queued));
  api.use(express.json({ limit: JSON_LIMIT, reviver: refuseReservedKeys }));
  api.use(authRoutes(deps));
  api.use(userRoutes(deps));
  // First: it refuses the record's routes for a process note's own session.
  api.use(processNoteRoutes(deps));
  api.use(sessionRoutes(deps));
  api.use(lifecycleRoutes(deps));
  api.use(memberNoteRoutes(deps));
  api.use(reviewRoutes(deps));
  api.use(concordanceRoutes(deps));
  api.use(debriefRoutes(deps));
  api.use(blindRoutes(deps));
  api.use(tagRoutes(deps));
  api.use(auditRoutes(deps));
  api.use(loginThrottleRoutes(deps));
  api.use(supervisorRoutes(deps));
  api.use(trendRoutes(deps));
  api.use(route(async () => {
    throw notFound('This API route');
  }));
  app.use('/api', api);

  if (deps.config.metricsToken) app.use('/metrics', requireMetricsToken(deps.config.metricsToken));
  app.use(ops);

  const clientDir = deps.config.clientDir;
  const index = path.join(clientDir, 'index.html');
  // Source maps would hand anyone the client's full source; the build makes none, and a stale one is not served.
  app.use((req, _res, next) => next(req.path.endsWith('.map') ? notFound('This file') : undefined));
  app.use(
    express.static(clientDir, {
      index: false,
      maxAge: '1h',
      // The app shell's entry points are checked on every load, so a new build replaces the
      // installed one; the hashed files they name can be kept.
      setHeaders: (res, file) => {
        if (ALWAYS_REVALIDATED.has(path.basename(file))) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  // Client-side routes all serve the app shell.
  app.get(/^\/(?!api\/|sync\/).*/, (_req, res, next) => {
    if (!fs.existsSync(index)) return next(notFound('The web client (run `npm run build`)'));
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  app.use(errorHandler(deps));
  return app;
}
