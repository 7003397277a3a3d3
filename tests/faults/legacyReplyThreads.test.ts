/**
 * Replies stored under a reply before 6 Dec (the server then took any comment as a reply's parent)
 * were in no thread: the review page, the thread's size and its resolving left them out. The fix of
 * 6 Dec (review.ts `threadRoot`) put new replies under the root and left the stored ones where
 * they were (operator attack, 6 Dec: a database of before the fix, started on today's server).
 * A migration now points each at its thread's root; no words change.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import type { ThreadView } from '../../shared/domain/supervisor';
import { ApiClient, expectStatus, type Clinic } from '../helpers/api';
import { lineToComment } from '../helpers/desk';
import { startClinic } from '../helpers/clinic';
import { describeWith, freshPostgresSchema, Postgres } from '../helpers/services';
import { startTestServer, type TestServer } from '../helpers/startTestServer';

/** How a test reaches one engine: its server's environment, and its rows as the server of before 6 Dec left them. */
interface Engine {
  env: Record<string, string>;
  /** Runs the statements (`?` for each parameter) on the stopped server's database. */
  rewrite(dataDir: string, statements: [string, string[]][]): Promise<void>;
}

function legacyReplies(engine: () => Promise<Engine>) {
  it('puts each back in its thread at the start, however deep it was stored, with its words', async () => {
    const { env, rewrite } = await engine();
    const { server, clinic } = await startClinic({ env });
    const two = await threadOf(server, clinic, 2);
    const three = await threadOf(server, clinic, 3);
    await server.close();

    // As the server of before 6 Dec stored them: two's second reply under its first; three's
    // replies each under the one before (and its middle one deleted by its author).
    const parent = 'UPDATE comments SET parent_id = ? WHERE id = ?';
    await rewrite(server.dataDir, [
      [parent, [two.replies[0]!.id, two.replies[1]!.id]],
      [parent, [three.replies[0]!.id, three.replies[1]!.id]],
      [parent, [three.replies[1]!.id, three.replies[2]!.id]],
      ['UPDATE comments SET deleted = TRUE WHERE id = ?', [three.replies[1]!.id]],
      ['DELETE FROM schema_migrations WHERE version > 10', []],
    ]);

    const again = await startTestServer({ dataDir: server.dataDir, env });
    const supervisor = new ApiClient(again.baseUrl);
    supervisor.cookie = clinic.supervisor.api.cookie;
    for (const { id, root, replies } of [two, three]) {
      const comments = (await expectStatus(supervisor.get<CommentView[]>(`/api/sessions/${id}/comments`), 200, 'comments')).filter((c) => !c.deleted);
      const live = replies.filter((r) => r.id !== three.replies[1]!.id);
      expect(comments.filter((c) => c.parentId === root.id).map((c) => c.body)).toEqual(live.map((r) => r.body));
      const threads = await expectStatus(supervisor.get<ThreadView[]>(`/api/sessions/${id}/threads`), 200, 'threads');
      expect(threads.map((t) => [t.rootId, t.size])).toEqual([[root.id, live.length + 1]]);
    }
  });
}

/** The supervisor's comment with `replies` direct replies to it, by A, B and A in turn. */
async function threadOf(server: TestServer, clinic: Clinic, replies: number) {
  const { id, comment } = await lineToComment(server.baseUrl, clinic, 'M1 was quiet today');
  const root = await comment('Why quiet?');
  const made: CommentView[] = [];
  for (let i = 0; i < replies; i++) {
    const who = i % 2 === 0 ? clinic.a : clinic.b;
    made.push(await expectStatus(who.api.post<CommentView>(`/api/sessions/${id}/comments`, { parentId: root.id, body: `Reply ${i + 1}` }), 201, `reply ${i + 1}`));
  }
  return { id, root, replies: made };
}

describe('replies stored under a reply, on a SQLite database of before 6 Dec', () => {
  legacyReplies(async () => ({
    env: {},
    rewrite: async (dataDir, statements) => {
      const db = new Database(path.join(dataDir, 'tandem.db'));
      try {
        for (const [sql, params] of statements) db.prepare(sql.replace('TRUE', '1')).run(...params);
      } finally {
        db.close();
      }
    },
  }));
});

describeWith([Postgres], 'replies stored under a reply, on a PostgreSQL database of before 6 Dec', () => {
  legacyReplies(async () => {
    const { url } = await freshPostgresSchema();
    return {
      env: { DATABASE_URL: url },
      rewrite: async (_dataDir, statements) => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          for (const [sql, params] of statements) await c.query(params.reduce((s, _, i) => s.replace('?', `$${i + 1}`), sql), params);
        } finally {
          await c.end();
        }
      },
    };
  });
});
