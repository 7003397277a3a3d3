import { describe, expect, it } from 'vitest';
import { exportFileName } from '../../server/review/exportName';

const session = { id: '3f2a9c1b-0000-4000-8000-000000000000', title: 'Tuesday group', scheduledAt: null, createdAt: Date.UTC(2026, 10, 30, 23, 30) };

describe('an export’s file name', () => {
  it('gives the session’s day in the clinic’s zone, its title as ASCII words and its id’s start', () => {
    expect(exportFileName(session, 'UTC', 'md')).toBe('tandem-2026-11-30-tuesday-group-3f2a9c1b.md');
    // 23:30 UTC is already 1 Dec in Berlin.
    expect(exportFileName(session, 'Europe/Berlin', 'pdf')).toBe('tandem-2026-12-01-tuesday-group-3f2a9c1b.pdf');
    expect(exportFileName({ ...session, scheduledAt: Date.UTC(2026, 11, 24, 9) }, 'UTC', 'md')).toBe('tandem-2026-12-24-tuesday-group-3f2a9c1b.md');
  });

  it('keeps quotes, markup, line breaks and accents out of the header', () => {
    const name = exportFileName({ ...session, title: 'Zoë’s "grüne" <img src=x>\r\n# Gruppe' }, 'UTC', 'md');
    expect(name).toBe('tandem-2026-11-30-zoe-s-grune-img-src-x-gruppe-3f2a9c1b.md');
    expect(exportFileName({ ...session, title: '日本語 ' + 'x'.repeat(80) }, 'UTC', 'md')).toBe(`tandem-2026-11-30-${'x'.repeat(39)}-3f2a9c1b.md`);
    expect(exportFileName({ ...session, title: '——' }, 'UTC', 'md')).toBe('tandem-2026-11-30-3f2a9c1b.md');
  });
});
