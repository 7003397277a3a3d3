import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';

const escape = (s: string) => s.replace(/([\\`*_[\]#<>|])/g, '\\$1');

function runText(r: ReviewRun, footnote: (id: string) => string): string {
  let t = escape(r.text);
  if (!t.trim()) return t;
  if (r.marks.includes('bold')) t = `**${t}**`;
  if (r.marks.includes('italic')) t = `_${t}_`;
  if (r.marks.includes('strike')) t = `~~${t}~~`;
  if (r.marks.includes('code')) t = `\`${r.text}\``;
  const notes = r.observationIds.map(footnote).join('');
  return t + notes + (r.lateAt ? ` _(late entry, ${r.lateAt})_` : '');
}

function blockText(b: ReviewBlock, footnote: (id: string) => string): string {
  return b.runs.map((r) => runText(r, footnote)).join('');
}

function renderBlocks(blocks: ReviewBlock[], footnote: (id: string) => string, indent = ''): string[] {
  return blocks.flatMap((b) => {
    switch (b.type) {
      case 'heading':
        return [`${'#'.repeat(Math.min(6, Number(b.attrs.level ?? 2) + 1))} ${blockText(b, footnote)}`, ''];
      case 'paragraph':
        return b.runs.length === 0 ? [] : [indent + blockText(b, footnote), ''];
      case 'bulletList':
      case 'orderedList':
        return [
          ...b.children.flatMap((item, i) => {
            const [first = '', ...rest] = renderBlocks(item.children, footnote, indent + '   ').filter((l) => l !== '');
            return [`${indent}${b.type === 'bulletList' ? '-' : `${i + 1}.`} ${first.trimStart()}`, ...rest];
          }),
          '',
        ];
      case 'blockquote':
        return [...renderBlocks(b.children, footnote).filter((l) => l !== '').map((l) => `> ${l}`), ''];
      default:
        return b.children.length > 0 ? renderBlocks(b.children, footnote, indent) : [indent + blockText(b, footnote), ''];
    }
  });
}

/** The whole record as Markdown: note, observations, signatures, addenda, comments. */
export function exportMarkdown(review: ReviewView, verifiedDigest: string): string {
  const numbers = new Map(review.observations.map((o, i) => [o.id, i + 1]));
  const footnote = (id: string) => (numbers.has(id) ? `[^o${numbers.get(id)}]` : '');
  const lines = [
    `# ${escape(review.title)}`,
    '',
    `- Kind: ${review.kind}`,
    `- Status: ${review.status}`,
    `- Started: ${review.startedAt ?? 'not started'}`,
    `- Ended: ${review.endedAt ?? 'not ended'}`,
    `- Authors: ${review.authors.map((a) => a.name).join(', ')}`,
    `- Content digest (SHA-256): \`${verifiedDigest}\``,
    '',
    '## Note',
    '',
    ...renderBlocks(review.blocks, footnote),
    '## Observations',
    '',
    ...(review.observations.length === 0 ? ['_None._', ''] : []),
    ...review.observations.flatMap((o) => [
      `[^o${numbers.get(o.id)}]: **${o.tags.map((t) => t.name).join(', ')}** — ${escape(o.authorName)}, ${o.offset ?? o.createdAt}` +
        (o.member ? `, about ${o.member}` : '') +
        (o.forCoTherapist ? ', flagged for the co-therapist' : '') +
        (o.response ? `; ${o.response.answer} by ${escape(o.response.byName)} at ${o.response.at}${o.response.note ? ` ("${escape(o.response.note)}")` : ''}` : o.forCoTherapist ? '; unanswered' : '') +
        (o.quote ? ` — “${escape(o.quote)}”` : ''),
    ]),
    '',
    '## Signatures',
    '',
    ...(review.signatures.length === 0 ? ['_Not signed._'] : review.signatures.map((s) => `- ${s.kind === 'cosigned' ? 'Co-signed' : 'Signed'} by ${escape(s.name)} at ${s.at} — digest \`${s.digest ?? ''}\``)),
    ...review.returns.map((r) => `- Returned for revision by ${escape(r.name)} at ${r.at}: ${escape(r.reason)}`),
    '',
    '## Addenda',
    '',
    ...(review.addenda.length === 0 ? ['_None._'] : review.addenda.flatMap((a) => [`### Addendum by ${escape(a.name)}, ${a.at}`, '', escape(a.text), ''])),
    '',
    '## Supervisor comments',
    '',
    ...(review.comments.length === 0
      ? ['_None._']
      : review.comments
          .filter((c) => !c.deleted)
          .map((c) => `- ${c.parentId ? '↳ ' : ''}${escape(c.authorName)} (${c.createdAt})${c.anchor.type === 'passage' ? ` on “${escape(c.anchor.quote)}”` : c.anchor.type === 'observation' ? ` on observation ${numbers.get(c.anchor.observationId) ?? '?'}` : ''}: ${escape(c.body)}`)),
    '',
  ];
  return lines.join('\n');
}
