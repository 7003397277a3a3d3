import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateTagForm } from '../../client/features/admin/CreateTagForm';
import { DEFAULT_TAGS, nextTagColor, TAG_COLORS } from '../../shared/domain/tag';

afterEach(cleanup);

function Form({ used }: { used: readonly string[] }) {
  return (
    <QueryClientProvider client={new QueryClient()}>
      <CreateTagForm usedColors={used} onCreated={() => {}} />
    </QueryClientProvider>
  );
}
const offered = () => (screen.getByTestId('tag-color-input') as HTMLInputElement).value;

// Walk, 5 Dec: every new tag was offered Nonverbal's colour, and two tags looked the same in the note.
describe('a new tag’s colour', () => {
  it('is one no tag of the codebook has, following the codebook as it grows', () => {
    const defaults = DEFAULT_TAGS.map((t) => t.color);
    const { rerender } = render(<Form used={defaults} />);
    const first = offered();
    expect(defaults).not.toContain(first);
    rerender(<Form used={[...defaults, first.toUpperCase()]} />);
    expect([...defaults, first]).not.toContain(offered());
  });

  it('stays the one the admin picked when the codebook changes', () => {
    const { rerender } = render(<Form used={[]} />);
    fireEvent.change(screen.getByTestId('tag-color-input'), { target: { value: '#123456' } });
    rerender(<Form used={['#123456']} />);
    expect(offered()).toBe('#123456');
  });

  it('is the one fewest tags have once every colour is taken', () => {
    const twice = TAG_COLORS.flatMap((c) => [c, c]);
    const fewest = TAG_COLORS[3]!;
    expect(nextTagColor(twice.filter((c, i) => c !== fewest || i % 2 === 0))).toBe(fewest);
    expect(nextTagColor([])).toBe(TAG_COLORS[0]);
  });
});
