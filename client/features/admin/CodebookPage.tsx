import type { ReactNode } from 'react';
import { ColumnHeads } from '../../components/ColumnHeads';
import { PageState } from '../../components/PageState';
import { TableScroll } from '../../components/TableScroll';
import type { LoadState } from '../../query/loadState';

interface CodebookPageProps<T extends { id: string; retired: boolean }> {
  title: string;
  intro: ReactNode;
  /** What the table and its loading state are called ("the codebook"). */
  what: string;
  /** The first column's heading ("Tag"). */
  itemName: string;
  testId: string;
  state: LoadState<T[]>;
  reload(): void;
  row(item: T): ReactNode;
  /** The aside's form for a new entry, under `newTitle`. */
  newTitle: string;
  form: ReactNode;
}

/**
 * An admin's codebook page (the tags, the supervision competencies): a table of entries, in use
 * first and retired after (retired entries stay on what already has them), and a form for a new one.
 */
export function CodebookPage<T extends { id: string; retired: boolean }>(p: CodebookPageProps<T>) {
  return (
    <div className="page page--with-aside">
      <section className="page__main">
        <h1 className="page__title">{p.title}</h1>
        <p className="muted page__intro">{p.intro}</p>
        {p.state.status === 'ok' ? (
          <TableScroll label={p.what.replace(/^the /, 'The ')}>
            <table className="table" data-testid={p.testId}>
              <ColumnHeads names={[p.itemName, 'Description', 'Status']} />
              <tbody>{[...p.state.data].sort((a, b) => Number(a.retired) - Number(b.retired)).map((item) => p.row(item))}</tbody>
            </table>
          </TableScroll>
        ) : (
          <PageState state={p.state} onRetry={p.reload} what={p.what} />
        )}
      </section>
      <aside className="page__aside panel">
        <h2 className="panel__title">{p.newTitle}</h2>
        {p.form}
      </aside>
    </div>
  );
}
