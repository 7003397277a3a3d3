/**
 * A guard or an after-apply step that throws, or any other failure while a client's message is
 * handled, ends that connection at most, never the process (attack, 3 Dec: one crafted frame threw
 * in an after-apply step and exited it). The gate is driven with a note of its own here; the
 * crafted frames themselves are in tests/hostile/clientRuns.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { WriteGuard } from '../../server/collab/writeGate';
import { closeForFailure } from '../../server/collab/messageFailure';
import { WireError } from '../../server/collab/wire';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { gated, recorded } from '../helpers/gatedNote';

describe('a failure while a client’s message is handled', () => {
  it('in a guard refuses the update (nothing goes in unjudged) and is logged as an error', () => {
    const broken: WriteGuard = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    };
    const { gate, conn, typed, text, sent, lines } = gated([broken], []);
    gate.receive(conn, typed('never judged'));
    expect(text()).not.toContain('never judged');
    expect(new TextDecoder().decode(sent.at(-1))).toContain('"code":"not_judged"');
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['a write guard failed; the update was refused']);
  });

  it('in an after-apply step leaves the update applied, runs the later steps, and is logged as an error', () => {
    const ran: string[] = [];
    const steps = [
      () => {
        throw new TypeError('a defect');
      },
      () => ran.push('next step'),
    ];
    const { gate, conn, typed, text, closed, lines } = gated([], steps);
    gate.receive(conn, typed('applied all the same'));
    expect(text()).toContain('applied all the same');
    expect(ran).toEqual(['next step']);
    expect(closed).toEqual([]);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['a step after applying an update failed; the update stays applied']);
  });

  it('anywhere else closes its connection only: 4400 for bytes that are not the protocol, 1011 for the server’s own', () => {
    const { conn, closed, log, lines } = recorded();
    expect(closeForFailure(conn, new WireError('malformed document update'), log, 's1')).toBe('bad_message');
    expect(closeForFailure(conn, new RangeError('a defect'), log, 's1')).toBe('server_error');
    expect(closed.map((c) => c.code)).toEqual([CloseCode.BadMessage, CloseCode.ServerError]);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'bad message; closing connection'],
      ['error', 'handling a message failed; closing its connection'],
    ]);
  });
});
