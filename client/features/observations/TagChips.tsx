/** An observation's tags as small coloured chips (a retired or unknown tag keeps its id as name). */
export function TagChips({ tags }: { tags: { id: string; name: string; color: string }[] }) {
  return (
    <span className="tag-chips">
      {tags.map((t) => (
        <span key={t.id} className="tag-chip" style={{ ['--tag-color' as string]: t.color }}>
          <span className="tag-dot" style={{ backgroundColor: t.color }} aria-hidden="true" />
          {t.name}
        </span>
      ))}
    </span>
  );
}
