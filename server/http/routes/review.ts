import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { createCommentBodySchema, updateCommentBodySchema, type CommentAnchor } from '../../../shared/domain/review';
import type { Authenticated } from '../../auth/logins';
import type { SessionAction } from '../../auth/policies';
import type { CommentPatch, CommentRecord, SessionRecord } from '../../persistence/ports';
import { exportFileName } from '../../review/exportName';
import type { AnchorRefusal } from '../../review/commentAnchor';
import { presentComment, reviewFacts } from '../../review/reviewModel';
import { commentAdded, noticesOfStoredStep } from '../../supervisor/commentNotices';
import type { HttpDeps } from '../context';
import { tellPages } from '../tellPages';
import { audited } from '../../audit/audited';
import { forbidden, notFound, unprocessable } from '../../domain/errors';
import { authed, readsNotes } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });
const commentParam = z.object({ id: z.uuid(), commentId: z.uuid() });
const replayQuery = z.object({ at: z.coerce.number().int().positive() });
/**
 * `page=note`: the note's own page reads its record (signatures, addenda) beside the open note; the
 * audit log names that read `record`, not the review (walk, 4 Dec: a therapist who had only
 * reloaded the note was said to have read it "how: review").
 */
const reviewQuery = z.object({ page: z.enum(['note']).optional() }).strict();

const anchorRefused: Record<AnchorRefusal, () => Error> = {
  anchor_gone: () => unprocessable('anchor_gone', 'The passage or observation this comment points to is no longer in the note.', 'anchor'),
  quote_mismatch: () => unprocessable('quote_mismatch', 'The quoted words are not what the note says at this passage; select the passage again.', 'anchor.quote'),
};

/** Review, replay, export and supervisor comments. */
export function reviewRoutes(deps: HttpDeps): Router {
  const r = Router();
  const load = (auth: Authenticated, params: unknown, action: SessionAction) => loadSessionFor(deps, auth, parse(idParam, params).id, action);

  r.get('/sessions/:id/review', authed(deps, null, readsNotes(deps, async (req, res) => {
    const { page } = parse(reviewQuery, req.query);
    const session = await load(req.auth, req.params, 'read');
    const note = await deps.notes.stored(session.id);
    const review = await deps.notes.read(note, 'review', await reviewFacts(deps.store, session));
    await deps.noteReads.record(req.auth, session.id, page === 'note' ? 'record' : 'review');
    res.type('json').send(review);
  })));

  r.get('/sessions/:id/timeline', authed(deps, null, readsNotes(deps, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const points = await deps.store.docs.logTimes(session.id);
    await deps.noteReads.record(req.auth, session.id, 'timeline');
    res.json({ startedAt: session.startedAt, endedAt: session.endedAt, points });
  })));

  r.get('/sessions/:id/replay', authed(deps, null, readsNotes(deps, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const { at } = parse(replayQuery, req.query);
    const replay = await deps.notes.read(await deps.notes.stored(session.id, at), 'replay', { facts: await reviewFacts(deps.store, session), at });
    await deps.noteReads.record(req.auth, session.id, 'replay', { at });
    res.type('json').send(replay);
  })));

  /** What both exports are drawn from; the export is audited once it is made, before it is sent. */
  const exported = async (auth: Authenticated, params: unknown, format: 'markdown' | 'pdf') => {
    const session = await load(auth, params, 'read');
    const note = await deps.notes.stored(session.id);
    const bytes = await deps.notes.read(note, 'export', { facts: await reviewFacts(deps.store, session), timeZone: deps.config.timeZone, format });
    const content = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await deps.noteReads.record(auth, session.id, 'export', { format });
    return { content, filename: exportFileName(session, deps.config.timeZone, format === 'markdown' ? 'md' : 'pdf') };
  };

  r.get('/sessions/:id/export.md', authed(deps, null, readsNotes(deps, async (req, res) => {
    const { content, filename } = await exported(req.auth, req.params, 'markdown');
    res.type('text/markdown; charset=utf-8').set('Content-Disposition', `attachment; filename="${filename}"`).send(content);
  })));

  r.get('/sessions/:id/export.pdf', authed(deps, null, readsNotes(deps, async (req, res) => {
    const { content, filename } = await exported(req.auth, req.params, 'pdf');
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${filename}"`).send(content);
  })));

  r.get('/sessions/:id/comments', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const names = new Map((await deps.store.accounts.list()).map((a) => [a.id, a.name]));
    const comments = await deps.store.comments.list(session.id);
    await deps.noteReads.record(req.auth, session.id, 'comments');
    res.json(comments.map((c) => presentComment(c, names)));
  }));

  /**
   * The root of `c`'s thread: `c` itself, or its parent, since every reply is stored under its
   * thread's root (schema version 11 moved those stored under a reply before 6 Dec). Null when that
   * parent is a reply too: a loop, which version 11 left as it was, is no thread.
   */
  const threadRoot = async (c: CommentRecord): Promise<CommentRecord | null> => {
    if (c.parentId === null) return c;
    const parent = await deps.store.comments.byId(c.parentId);
    return parent && parent.parentId === null ? parent : null;
  };

  r.post('/sessions/:id/comments', authed(deps, null, readsNotes(deps, async (req, res) => {
    const body = parse(createCommentBodySchema, req.body);
    const session = await load(req.auth, req.params, 'comment');
    const isSupervisor = session.myMembership.role === 'supervisor';
    let anchor: CommentAnchor;
    let parentId: string | null = null;
    if (body.parentId) {
      // A reply belongs to its thread, whose root every view shows replies under (threads.ts
      // rootOf): a reply to a reply, sent by hand, was in no thread on the review page or in its
      // size and notices, yet nested in the exports (attack, 6 Dec). It joins the thread's root.
      const asked = await deps.store.comments.byId(body.parentId);
      const parent = asked && (await threadRoot(asked));
      if (!asked || !parent || parent.sessionId !== session.id || asked.deleted || parent.deleted) throw notFound('The comment you are replying to');
      anchor = JSON.parse(parent.anchor) as CommentAnchor;
      parentId = parent.id;
    } else {
      if (!isSupervisor) throw forbidden('Therapists reply to the supervisor’s comments; new comments come from the supervisor.');
      const placed = await deps.notes.readStored(session.id, 'commentAnchor', body.anchor!);
      if ('refused' in placed) throw anchorRefused[placed.refused]();
      anchor = placed.anchor;
    }
    const now = Date.now();
    const comment = { id: randomUUID(), sessionId: session.id, authorId: req.auth.account.id, parentId, anchor: JSON.stringify(anchor), body: body.body, createdAt: now, updatedAt: now, deleted: false };
    await deps.store.commit([{ kind: 'comment', comment }, audited({ actorId: req.auth.account.id, action: 'comment_added', sessionId: session.id, detail: { commentId: comment.id } }, now)]);
    await noticesOfStoredStep(deps, () => commentAdded(deps, session.id, comment));
    res.status(201).json(presentComment(comment, new Map([[req.auth.account.id, req.auth.account.name]])));
  })));

  const ownComment = async (auth: Authenticated, params: unknown) => {
    const { id, commentId } = parse(commentParam, params);
    const session = await loadSessionFor(deps, auth, id, 'comment');
    const comment = await deps.store.comments.byId(commentId);
    if (!comment || comment.sessionId !== session.id || comment.deleted) throw notFound('The comment');
    if (comment.authorId !== auth.account.id) throw forbidden('Only the author of a comment can change or delete it.');
    return { session, comment };
  };
  // A change and its audit record in one unit of work. The session's status is kept with the record:
  // an edit after co-signing changes what was signed off.
  const changeComment = (auth: Authenticated, session: Pick<SessionRecord, 'id' | 'status'>, action: 'comment_edited' | 'comment_deleted', commentId: string, patch: CommentPatch) =>
    deps.store.commit([
      { kind: 'updateComment', id: commentId, patch },
      audited({ actorId: auth.account.id, action, sessionId: session.id, detail: { commentId, status: session.status } }, patch.updatedAt),
    ]);

  r.patch('/sessions/:id/comments/:commentId', authed(deps, null, async (req, res) => {
    const { body } = parse(updateCommentBodySchema, req.body);
    const { session, comment } = await ownComment(req.auth, req.params);
    const updatedAt = Date.now();
    await changeComment(req.auth, session, 'comment_edited', comment.id, { body, updatedAt });
    tellPages(deps, session.id, 'a comment edited', 'comments');
    res.json(presentComment({ ...comment, body, updatedAt }, new Map([[req.auth.account.id, req.auth.account.name]])));
  }));

  r.delete('/sessions/:id/comments/:commentId', authed(deps, null, async (req, res) => {
    const { session, comment } = await ownComment(req.auth, req.params);
    await changeComment(req.auth, session, 'comment_deleted', comment.id, { deleted: true, updatedAt: Date.now() });
    tellPages(deps, session.id, 'a comment deleted', 'comments');
    res.status(204).end();
  }));

  return r;
}
