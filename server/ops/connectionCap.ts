import fs from 'node:fs';

/**
 * The process's soft limit on open file descriptors, as Linux tells it (`Max open files` in
 * /proc/self/limits); null where it does not (another system, or no /proc). Node raises its soft
 * limit to the hard one as it starts, so read from inside the process this is the real bound.
 */
export function descriptorLimit(readLimits: () => string = () => fs.readFileSync('/proc/self/limits', 'utf8')): number | null {
  try {
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(readLimits())?.[1];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}

/** Used where the descriptor limit cannot be read: below macOS's usual 10,240 and far above a clinic's peak. */
const FALLBACK_CAP = 4096;

/**
 * The default bound on TCP connections held at once: the descriptor limit less a fifth of it (at
 * least 256) kept for what the process opens itself (the database and its write-ahead files,
 * PostgreSQL's pool, Redis, the client's files as they are served, log files, worker threads).
 * Never below half the limit. At the limit, every new socket and file failed, for everyone, and
 * nothing said so (attack, 6 Dec: ~10,500 slow connections).
 */
export function defaultConnectionCap(limit: number | null = descriptorLimit()): number {
  if (limit === null) return FALLBACK_CAP;
  const headroom = Math.max(256, Math.ceil(limit / 5));
  return Math.max(limit - headroom, Math.floor(limit / 2), 1);
}

/**
 * The default bound per peer address. One clinic behind one NAT reaches the server from one
 * address: dozens of clinicians, each with a few notes open (a websocket each), a live-events
 * stream and a browser's six keep-alive connections. Behind a reverse proxy (`TRUST_PROXY`) every
 * client comes from the proxy's address, so the bound is the process's (none of its own): the
 * proxy bounds each client's connections (README, Configuration).
 */
export function defaultPerAddressCap(maxConnections: number, behindProxy: boolean): number {
  return behindProxy ? maxConnections : Math.min(512, maxConnections);
}
