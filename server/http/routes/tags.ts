import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { createTagBodySchema, updateTagBodySchema, type TagView } from '../../../shared/domain/tag';
import type { TagRecord } from '../../persistence/ports';
import type { HttpDeps } from '../context';
import { audited } from '../../audit/audited';
import { followUpStoredStep } from '../../services/afterStored';
import { notFound, conflict } from '../../domain/errors';
import { authed } from '../middleware';
import { parse } from '../validate';

const present = (t: TagRecord): TagView => ({ id: t.id, name: t.name, color: t.color, description: t.description, retired: t.retired });
const idParam = z.object({ id: z.string().min(1).max(64) });

/** The clinic's codebook: everyone reads it, the admin edits it. */
export function tagRoutes(deps: HttpDeps): Router {
  const r = Router();
  const nameTaken = async (name: string, except?: string) =>
    (await deps.store.tags.list()).some((t) => !t.retired && t.id !== except && t.name.toLowerCase() === name.toLowerCase());

  /**
   * Every process reads the codebook again, and every open page (a renamed tag showed its old name
   * until a reload: walk, 4 Dec). After the change is stored, so a failed read here is tried again
   * on a timer: it answered 503 for a tag that was made, and its retry was refused as tag_exists
   * (fault test, 7 Dec).
   */
  const codebookChanged = () => followUpStoredStep(deps, 'reading the codebook again', async () => {
    await deps.tags.changed();
    deps.live.deliverToAll({ type: 'codebook' });
  });

  r.get('/tags', authed(deps, null, async (_req, res) => {
    res.json((await deps.store.tags.list()).map(present));
  }));

  r.post('/tags', authed(deps, ['admin'], async (req, res) => {
    const body = parse(createTagBodySchema, req.body);
    if (await nameTaken(body.name)) throw conflict('tag_exists', `A tag named "${body.name}" already exists.`);
    const all = await deps.store.tags.list();
    const tag: TagRecord = { id: randomUUID(), ...body, retired: false, position: all.length, createdAt: Date.now() };
    await deps.store.commit([{ kind: 'createTag', tag }, audited({ actorId: req.auth.account.id, action: 'tag_created', sessionId: null, detail: { tagId: tag.id } })]);
    await codebookChanged();
    res.status(201).json(present(tag));
  }));

  r.patch('/tags/:id', authed(deps, ['admin'], async (req, res) => {
    const { id } = parse(idParam, req.params);
    const patch = parse(updateTagBodySchema, req.body);
    const existing = (await deps.store.tags.list()).find((t) => t.id === id);
    if (!existing) throw notFound('The tag');
    if (patch.name && (await nameTaken(patch.name, id))) throw conflict('tag_exists', `A tag named "${patch.name}" already exists.`);
    await deps.store.commit([{ kind: 'updateTag', id, patch }, audited({ actorId: req.auth.account.id, action: 'tag_updated', sessionId: null, detail: { tagId: id, changed: Object.keys(patch), ...(patch.retired !== undefined ? { retired: patch.retired } : {}), ...(patch.name ? { name: patch.name } : {}) } })]);
    await codebookChanged();
    res.json(present({ ...existing, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) }));
  }));

  return r;
}
