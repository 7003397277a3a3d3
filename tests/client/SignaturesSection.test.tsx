import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SignaturesSection } from '../../client/features/review/SignaturesSection';
import { reviewView } from '../helpers/reviewFixture';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

describe('SignaturesSection', () => {
  // A clinician walk, 1 Dec: A's first signature, of a version B then changed, was listed like the valid ones.
  it('says which signature named an earlier version of the note, and only that one', () => {
    const alex = '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01';
    const blair = '0d3c7a55-6b1e-4a0f-9f7c-2e4b8a6d1c02';
    const review = reviewView({
      signatures: [
        { kind: 'signed', by: alex, name: 'Alex Therapist', at: '2026-11-30T14:05:00.000Z', digest: 'a'.repeat(64) },
        { kind: 'signed', by: blair, name: 'Blair Therapist', at: '2026-11-30T14:08:00.000Z', digest: 'c'.repeat(64) },
        { kind: 'signed', by: alex, name: 'Alex Therapist', at: '2026-11-30T14:09:00.000Z', digest: 'c'.repeat(64) },
      ],
    });
    render(<SignaturesSection review={review} verify={{ status: 'signed', digest: 'c'.repeat(64), signedDigest: 'c'.repeat(64), matches: true, signatures: [] }} />);
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('[data-testid="signature-superseded"]') !== null)).toEqual([true, false, false]);
    expect(items[0]!.textContent).toContain('an earlier version of the note; signed again');
  });
});
