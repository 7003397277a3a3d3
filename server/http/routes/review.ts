import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type * as Y from 'yjs';
import { z } from 'zod';
import { clipQuote, createCommentBodySchema, updateCommentBodySchema, type CommentAnchor } from '../../../shared/domain/review';
import { sessionDoc } from '../../../shared/ydoc/sessionDoc';
import type { Authenticated } from '../../auth/logins';
import type { SessionAction } from '../../auth/policies';
import type { CommentPatch, SessionRecord } from '../../persistence/ports';
import { exportFileName } from '../../review/exportName';
import { quotePassage } from '../../review/passageQuote';
import { buildReview, presentComment } from '../../review/reviewModel';
import { loadStoredNote, noteDigest } from '../../review/sessionNote';
import { recordNoteRead } from '../../services/noteAccess';
import { commentAdded } from '../../supervisor/commentNotices';
import type { HttpDeps } from '../context';
import { audited } from '../../audit/audited';
import { forbidden, notFound, unprocessable } from '../../domain/errors';
import { authed } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });
const commentParam = z.object({ id: z.uuid(), commentId: z.uuid() });
const replayQuery = z.object({ at: z.coerce.number().int().positive() });

const words = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * A new comment's anchor as it is stored. It must point at something in the note, and a passage's
 * quote is the note's own words there: a commenter cannot attribute to the note what it does not
 * say (a quote that differs beyond white space is refused).
 */
function anchorInNote(doc: Y.Doc, anchor: CommentAnchor): CommentAnchor {
  const gone = () => unprocessable('anchor_gone', 'The passage or observation this comment points to is no longer in the note.', 'anchor');
  if (anchor.type === 'observation') {
    if (!sessionDoc(doc).observations.has(anchor.observationId)) throw gone();
    return anchor;
  }
  const quote = quotePassage(doc, anchor.start, anchor.end);
  if (quote === null) throw gone();
  const stored = clipQuote(quote);
  if (words(stored) !== words(anchor.quote)) {
    throw unprocessable('quote_mismatch', 'The quoted words are not what the note says at this passage; select the passage again.', 'anchor.quote');
  }
  return { ...anchor, quote: stored };
}

/** Review, replay, export and supervisor comments. */
export function reviewRoutes(deps: HttpDeps): Router {
  const r = Router();
  const load = (auth: Authenticated, params: unknown, action: SessionAction) => loadSessionFor(deps, auth, parse(idParam, params).id, action);
  const current = async (sessionId: string) => {
    await deps.collab.loaded(sessionId)?.persist.drain();
    return loadStoredNote(deps.store.docs, sessionId);
  };

  r.get('/sessions/:id/review', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const doc = await current(session.id);
    const review = await buildReview(deps.store, session, doc, await deps.store.bindings.forSession(session.id));
    doc.destroy();
    await recordNoteRead(deps, req.auth.account.id, session.id, 'review');
    res.json(review);
  }));

  r.get('/sessions/:id/timeline', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const log = await deps.store.docs.readLog(session.id);
    await recordNoteRead(deps, req.auth.account.id, session.id, 'timeline');
    res.json({
      startedAt: session.startedAt,
      endedAt: session.endedAt,
      points: Array.from(new Set(log.map((e) => e.at))).sort((a, b) => a - b),
    });
  }));

  r.get('/sessions/:id/replay', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const { at } = parse(replayQuery, req.query);
    const doc = await loadStoredNote(deps.store.docs, session.id, at);
    const review = await buildReview(deps.store, session, doc, await deps.store.bindings.forSession(session.id));
    doc.destroy();
    await recordNoteRead(deps, req.auth.account.id, session.id, 'replay', { at });
    res.json({ at, blocks: review.blocks, observations: review.observations, authors: review.authors });
  }));

  /** What both exports are drawn from; the export is audited once it is made, before it is sent. */
  const exported = async (auth: Authenticated, params: unknown, format: 'markdown' | 'pdf') => {
    const session = await load(auth, params, 'read');
    const doc = await current(session.id);
    const review = await buildReview(deps.store, session, doc, await deps.store.bindings.forSession(session.id));
    const options = { timeZone: deps.config.timeZone, digest: noteDigest(doc) };
    doc.destroy();
    const content = await deps.exportNote(review, options, format);
    await recordNoteRead(deps, auth.account.id, session.id, 'export', { format });
    return { content, filename: exportFileName(session, deps.config.timeZone, format === 'markdown' ? 'md' : 'pdf') };
  };

  r.get('/sessions/:id/export.md', authed(deps, null, async (req, res) => {
    const { content, filename } = await exported(req.auth, req.params, 'markdown');
    res.type('text/markdown; charset=utf-8').set('Content-Disposition', `attachment; filename="${filename}"`).send(content);
  }));

  r.get('/sessions/:id/export.pdf', authed(deps, null, async (req, res) => {
    const { content, filename } = await exported(req.auth, req.params, 'pdf');
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${filename}"`).send(content);
  }));

  r.get('/sessions/:id/comments', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const accounts = new Map((await deps.store.accounts.list()).map((a) => [a.id, a]));
    const comments = await deps.store.comments.list(session.id);
    await recordNoteRead(deps, req.auth.account.id, session.id, 'comments');
    res.json(comments.map((c) => presentComment(c, accounts)));
  }));

  r.post('/sessions/:id/comments', authed(deps, null, async (req, res) => {
    const body = parse(createCommentBodySchema, req.body);
    const session = await load(req.auth, req.params, 'comment');
    const isSupervisor = session.myMembership.role === 'supervisor';
    let anchor: CommentAnchor;
    if (body.parentId) {
      const parent = await deps.store.comments.byId(body.parentId);
      if (!parent || parent.sessionId !== session.id || parent.deleted) throw notFound('The comment you are replying to');
      anchor = JSON.parse(parent.anchor) as CommentAnchor;
    } else {
      if (!isSupervisor) throw forbidden('Therapists reply to the supervisor’s comments; new comments come from the supervisor.');
      const doc = await current(session.id);
      try {
        anchor = anchorInNote(doc, body.anchor!);
      } finally {
        doc.destroy();
      }
    }
    const now = Date.now();
    const comment = { id: randomUUID(), sessionId: session.id, authorId: req.auth.account.id, parentId: body.parentId ?? null, anchor: JSON.stringify(anchor), body: body.body, createdAt: now, updatedAt: now, deleted: false };
    await deps.store.commit([{ kind: 'comment', comment }, audited({ actorId: req.auth.account.id, action: 'comment_added', sessionId: session.id, detail: { commentId: comment.id } }, now)]);
    await commentAdded(deps, session.id, comment);
    res.status(201).json(presentComment(comment, new Map([[req.auth.account.id, req.auth.account]])));
  }));

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
    await deps.live.toSession(session.id, { type: 'comments', sessionId: session.id });
    res.json(presentComment({ ...comment, body, updatedAt }, new Map([[req.auth.account.id, req.auth.account]])));
  }));

  r.delete('/sessions/:id/comments/:commentId', authed(deps, null, async (req, res) => {
    const { session, comment } = await ownComment(req.auth, req.params);
    await changeComment(req.auth, session, 'comment_deleted', comment.id, { deleted: true, updatedAt: Date.now() });
    await deps.live.toSession(session.id, { type: 'comments', sessionId: session.id });
    res.status(204).end();
  }));

  return r;
}
