import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, liveSession, type TestClient } from '../helpers/connectClient';
import { renderedLetters, type RenderedLetter } from '../helpers/markdownTree';
import { findText, joinToLineBefore, tagLine } from '../helpers/noteOps';
import { setLetters, type SetLetter } from '../helpers/pdfDrawing';

/** Where a real label of each kind stands: between two words of the note (in the raw file, `rawLeft` when a mark's delimiters follow the word). */
const REAL = {
  author: { left: 'ctxauthor1', right: 'ctxauthor2' },
  template: { left: 'ctxtemplate1', right: 'Subjective' },
  formatting: { left: 'calm', rawLeft: 'calm**', right: 'ctxformat2' },
  late: { left: 'lateword', right: 'ctxlate2' },
  // In the observations: after the joined line's quote, before " — as tagged: …".
  extent: { left: 'ctxextent2”', right: '—' },
} as const;
type Kind = keyof typeof REAL;
const KINDS = Object.keys(REAL) as Kind[];
const MARKS: Record<string, Record<string, unknown>> = { plain: {}, bold: { bold: {} }, italic: { italic: {} }, code: { code: {} } };

/** What stands between `left` and the next `right` in a sequence of letters (the raw file, or a rendering's letters). */
function between<T>(letters: T[], text: string, left: string, right: string): T[] {
  const from = text.indexOf(left);
  const to = text.indexOf(right, from + left.length);
  if (from < 0 || to < 0) throw new Error(`"${left}" … "${right}" is not in the export`);
  return letters.slice(from + left.length, to);
}

/** One export's three readings of what stands between two words: the raw Markdown, its rendering, and the PDF as printed. */
interface Look {
  raw: string;
  /** Each letter with the elements it is rendered in ("B in p>kbd"); spaces left out. */
  rendered: string[];
  /** Each letter with whether a box is drawn around it ("B boxed"); spaces left out. */
  printed: string[];
  /** The words as each reader would copy them, to type them again. */
  copies: string[];
}

/**
 * One export as each reader takes it in: the raw Markdown, its rendering's letters, the PDF's
 * letters as printed. Read once per export: rendering the Markdown and reading the PDF again for
 * each of a hundred forgeries was most of this file's time.
 */
interface Readings {
  md: string;
  letters: RenderedLetter[];
  set: SetLetter[];
}

function looks({ md, letters, set }: Readings, where: { left: string; right: string; rawLeft?: string }): Look {
  const raw = between([...md], md, where.rawLeft ?? where.left, where.right).join('').trim();
  const rendered = between(letters, letters.map((l) => l.letter).join(''), where.left, where.right);
  const printed = between(set, set.map((l) => l.letter).join(''), where.left, where.right);
  const words = (ls: { letter: string }[]) => ls.map((l) => l.letter).join('').replace(/\s+/g, ' ').trim();
  return {
    raw,
    rendered: rendered.filter((l) => /\S/.test(l.letter)).map((l) => `${l.letter} in ${l.path.join('>')}`),
    printed: printed.filter((l) => /\S/.test(l.letter)).map((l) => `${l.letter} ${l.boxed ? 'boxed' : 'bare'}`),
    copies: [raw, words(rendered), words(printed)],
  };
}

// Attack, 6 Dec: therapist A typed "[BT] I think the client is lying" into the note; in the Markdown
// export it read exactly as a passage of co-therapist Blair Therapist (BT), and in the PDF, typed
// bold, it printed as her label does on a greyscale printer. Every label kind the exports add was
// open to it: initials, [template], [made bold by …], [late entry …], and the label of an observation
// whose words the other changed.
describe('no label the exports add can be typed: a therapist’s imitation of each kind differs from the real one in raw Markdown, rendered Markdown and print', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });
  const exported = async (id: string): Promise<Readings> => {
    const get = async (path: string) => {
      const res = await fetch(`${server.baseUrl}/api/sessions/${id}/${path}`, { headers: { cookie: clinic.supervisor.api.cookie! } });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const md = (await get('export.md')).toString('utf8');
    return { md, letters: renderedLetters(md), set: await setLetters(await get('export.pdf')) };
  };
  const settled = (...clients: TestClient[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);

  // A bound for a stuck test, not a measure: 37 s on a quiet machine (the note exported twice, as Markdown and PDF, and
  // every label kind typed back in each mark), and it passed the suite's 60 s only narrowly while other work kept both
  // cores busy (CI, 6 Dec).
  it('labels of each kind, copied from the export and typed plain, bold, italic and as code, never read as the label', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    // A real label of each kind, each between words of its own.
    appendParagraph(a.doc, 'ctxauthor1');
    appendParagraph(a.doc, 'ctxformat1 calm ctxformat2');
    appendParagraph(b.doc, 'ctxlate1 ctxlate2');
    const subjective = findText(a.doc, 'Subjective');
    subjective.text.insert(subjective.index, 'ctxtemplate1 ');
    await expect.poll(() => b.text().includes('ctxformat2') && a.text().includes('ctxlate2')).toBe(true);
    // Blair writes on at the end of Alex's line: her label stands between his word and hers.
    const alexs = findText(b.doc, 'ctxauthor1');
    alexs.text.insert(alexs.index + 'ctxauthor1'.length, ' ctxauthor2');
    const calm = findText(b.doc, 'calm');
    calm.text.format(calm.index, 'calm'.length, { bold: {} });
    // Blair joins Alex's next line into his tagged line: his observation quotes more than he tagged.
    tagLine(a.doc, 'Affect — ', 'ctxextent1', { authorId: clinic.a.id, tags: ['affect'] });
    appendParagraph(a.doc, 'ctxextent2');
    await expect.poll(() => b.text().includes('ctxextent2')).toBe(true);
    joinToLineBefore(b.doc, 'ctxextent2');
    await settled(a, b);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    a.destroy();
    b.destroy();
    const lateA = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    const lateB = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => lateA.provider.synced && lateB.provider.synced).toBe(true);
    const before = findText(lateB.doc, 'ctxlate2');
    before.text.insert(before.index, 'lateword ');
    await expect.poll(() => lateA.text().includes('lateword')).toBe(true);
    await settled(lateA, lateB);

    // A copies each label as the exports show it, and types it back in every way the editor allows.
    const first = await exported(id);
    const forgeries: { kind: Kind; words: string; mark: string; left: string; right: string }[] = [];
    for (const kind of KINDS) {
      const seen = looks(first, REAL[kind]);
      const copies = new Set([...seen.copies, `[${seen.copies[2]}]`, `<kbd>${seen.copies[2]}</kbd>`]);
      for (const words of copies) for (const mark of Object.keys(MARKS)) {
        const n = String(forgeries.length).padStart(3, '0');
        forgeries.push({ kind, words, mark, left: `frg${n}a`, right: `frg${n}z` });
      }
    }
    for (const f of forgeries) {
      const p = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      p.insert(0, [text]);
      lateA.doc.transact(() => {
        lateA.doc.getXmlFragment('note').push([p]);
        text.insert(0, `${f.left} `);
        text.insert(text.length, f.words, MARKS[f.mark]);
        text.insert(text.length, ` ${f.right}`, { bold: null, italic: null, code: null });
      });
    }
    await expect.poll(() => lateB.text().includes(forgeries.at(-1)!.right)).toBe(true);
    await settled(lateA);

    const second = await exported(id);
    const real = Object.fromEntries(KINDS.map((k) => [k, looks(second, REAL[k])] as const)) as Record<Kind, Look>;
    const alike: string[] = [];
    for (const f of forgeries) {
      const typed = looks(second, f);
      const label = real[f.kind];
      const what = `${f.kind} label typed ${f.mark} as ${JSON.stringify(f.words)}`;
      if (typed.raw === label.raw) alike.push(`${what}: raw Markdown ${JSON.stringify(typed.raw)}`);
      if (JSON.stringify(typed.rendered) === JSON.stringify(label.rendered)) alike.push(`${what}: rendered as ${typed.rendered.join(', ')}`);
      if (JSON.stringify(typed.printed) === JSON.stringify(label.printed)) alike.push(`${what}: printed as ${typed.printed.join(', ')}`);
    }
    expect(alike).toEqual([]);
    // The real labels are what the legend says they look like: elements of their own, and boxes in print.
    for (const kind of KINDS) {
      // Each is there at all (an empty stretch would pass the checks below).
      expect(real[kind].printed.length, kind).toBeGreaterThan(0);
      expect(real[kind].rendered.every((l) => l.endsWith('>kbd')), `${kind}: ${real[kind].rendered.join(', ')}`).toBe(true);
      expect(real[kind].printed.every((l) => l.endsWith(' boxed')), `${kind}: ${real[kind].printed.join(', ')}`).toBe(true);
    }
    lateA.destroy();
    lateB.destroy();
  }, 180_000);

  // Attack, 6 Dec: a supervisor's return reason "ok\nSigned by Blair Therapist at … — digest …" sat
  // in the Signatures list as plain text, under a head that was plain text too, and read as a real
  // signature line. The heads are labels now; every typed copy, in each form, stays text.
  it('signature, co-signature and return heads typed into a return reason never read as the real ones', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(a.doc, 'M1 arrived late');
    await settled(a, b);
    a.destroy();
    b.destroy();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/sign`), 200, 'A signs');
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/sign`), 200, 'B signs');
    const at = '2026-12-06 15:00 (UTC)';
    const heads = [`Signed by ${clinic.b.name} at`, `Returned for revision by ${clinic.supervisor.name} at`];
    const reason = [
      'ok',
      `${heads[0]} ${at} — digest ${'a'.repeat(64)}`,
      `<kbd>${heads[0]} ${at}</kbd> — digest ${'b'.repeat(64)}`,
      `**${heads[1]} ${at}**: fine`,
      `\`${heads[1]} ${at}\`: fine`,
    ].join('\n');
    await expectStatus(clinic.supervisor.api.post(`/api/sessions/${id}/return`, { reason }), 200, 'return');

    const { md, letters: rendered, set: printed } = await exported(id);
    /** Each place `head` stands in a reading, with whether all its letters are a label there. */
    const places = <T extends { letter: string }>(letters: T[], head: string, isLabel: (l: T) => boolean) => {
      const text = letters.map((l) => l.letter).join('');
      const found: boolean[] = [];
      for (let i = text.indexOf(head); i >= 0; i = text.indexOf(head, i + 1)) found.push(letters.slice(i, i + head.length).every(isLabel));
      return found;
    };
    for (const head of heads) {
      // One real head (B signed once; the supervisor returned once) and the reason's two copies.
      expect(places(rendered, head, (l) => l.path.includes('kbd')).sort(), `${head} rendered`).toEqual([false, false, true]);
      expect(places(printed, head, (l) => l.boxed).sort(), `${head} printed`).toEqual([false, false, true]);
      expect(md.split(head).length - 1, `${head} raw`).toBe(3);
      // A typed "<kbd>" is escaped ("\\<kbd>"): only the real head opens an element.
      expect(md.split(`<kbd>${head}`).length - md.split(`\\<kbd>${head}`).length, `${head} raw as a label`).toBe(1);
    }
  });
});
