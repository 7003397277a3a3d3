import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { invalidateForLiveEvent } from '../../client/query/liveInvalidation';
import { keys } from '../../client/query/keys';

const sessionId = '5b0f6f0e-2c1a-4c43-9d6e-6a1f3f7b2a10';

describe('what a live event makes stale', () => {
  // A clinician walk, 1 Dec: the co-therapist's signature reached the other therapist's sign
  // panel only at its 15 s poll, though the page heard the event within a second.
  it('reads the session page’s signatures and addenda again when the session changed', () => {
    const client = new QueryClient();
    for (const part of ['record', 'review', 'view'] as const) client.setQueryData(keys.session(sessionId, part), { read: 1 });
    client.setQueryData(keys.session('another', 'record'), { read: 1 });
    invalidateForLiveEvent(client, { type: 'session', sessionId });
    for (const part of ['record', 'review', 'view'] as const) expect(client.getQueryState(keys.session(sessionId, part))?.isInvalidated, part).toBe(true);
    expect(client.getQueryState(keys.session('another', 'record'))?.isInvalidated).toBe(false);
  });

  // A clinician walk: a notice said "waits for your co-signature" after the co-signature; what a
  // notice that asked for it says depends on the session, and not every member is sent a notice.
  it('reads the notices again when a session changed', () => {
    const client = new QueryClient();
    client.setQueryData(keys.notices, { read: 1 });
    invalidateForLiveEvent(client, { type: 'session', sessionId });
    expect(client.getQueryState(keys.notices)?.isInvalidated).toBe(true);
  });

  // A clinician walk, 6 Dec: the home page lists the sessions live now from the sessions list.
  it('reads the sessions list again when a session changed (started, ended) and when the stream connects again', () => {
    for (const event of [{ type: 'session', sessionId }, { type: 'opened' }] as const) {
      const client = new QueryClient();
      client.setQueryData(keys.sessions({}), []);
      invalidateForLiveEvent(client, event);
      expect(client.getQueryState(keys.sessions({}))?.isInvalidated, event.type).toBe(true);
    }
  });

  // A clinician walk, 6 Dec: the co-keeper's page showed an ask to remove the process notes only after a reload.
  it('reads the process notes again when the session changed, and when the stream connects again', () => {
    for (const event of [{ type: 'session', sessionId }, { type: 'opened' }] as const) {
      const client = new QueryClient();
      client.setQueryData(keys.session(sessionId, 'processNote'), null);
      invalidateForLiveEvent(client, event);
      expect(client.getQueryState(keys.session(sessionId, 'processNote'))?.isInvalidated, event.type).toBe(true);
    }
  });

  it('reads the record again when the stream connects again (what was told meanwhile is lost)', () => {
    const client = new QueryClient();
    client.setQueryData(keys.session(sessionId, 'record'), { read: 1 });
    invalidateForLiveEvent(client, { type: 'opened' });
    expect(client.getQueryState(keys.session(sessionId, 'record'))?.isInvalidated).toBe(true);
  });
  it('reads the codebook again when it changed, and when the stream connects again', () => {
    for (const event of [{ type: 'codebook' }, { type: 'opened' }] as const) {
      const client = new QueryClient();
      client.setQueryData(keys.tags, []);
      invalidateForLiveEvent(client, event);
      expect(client.getQueryState(keys.tags)?.isInvalidated, event.type).toBe(true);
    }
  });
});
