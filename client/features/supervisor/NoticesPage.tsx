import { useQuery } from '@tanstack/react-query';
import type { NoticeNow, NoticeView } from '../../../shared/domain/supervisor';
import { errorMessage } from '../../api/http';
import { fetchNotices, markNoticesRead } from '../../api/supervisor';
import { useLiveUpdates } from '../../api/liveEvents';
import { useFlash } from '../../components/Flash';
import { useSubmit } from '../../components/useSubmit';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { formatDateTime } from '../../format';
import { Link } from '../../router';
import './supervisor.css';

/** `/notices`: one inbox of what needs me: comments and replies, returns, co-signatures, signatures waiting. */
export function NoticesPage() {
  const state = loadStateOf(useQuery({ queryKey: keys.notices, queryFn: () => fetchNotices() }));
  const reload = useStale(keys.notices);
  const { show } = useFlash();
  useLiveUpdates();
  // Its failure is said in the flash, not under one notice.
  const marking = useSubmit((ids?: string[]) =>
    markNoticesRead(ids).then(reload, (err: unknown) => show(`Could not mark them read: ${errorMessage(err)}`)),
  );
  const mark = (ids?: string[]) => marking.run(ids);

  return (
    <div className="page page--narrow">
      <h1 className="page__title">Notices</h1>
      {state.status !== 'ok' ? (
        <PageState state={state} onRetry={reload} what="your notices" />
      ) : (
        <>
          <div className="button-row">
            <span className="muted" data-testid="notices-unread">
              {state.data.unread === 0 ? 'Everything is read.' : `${state.data.unread} unread`}
            </span>
            {state.data.unread > 0 && (
              <button type="button" className="button button--small" disabled={marking.isPending} onClick={() => void mark()} data-testid="notices-read-all">
                Mark all read
              </button>
            )}
          </div>
          {state.data.notices.length === 0 ? (
            <p className="empty">No notices yet. Comments, returns, co-signatures and signatures waiting for you appear here.</p>
          ) : (
            <ol className="notices" data-testid="notices">
              {state.data.notices.map((n) => (
                <NoticeItem key={n.id} notice={n} onOpen={() => !n.read && void mark([n.id])} onRead={() => void mark([n.id])} />
              ))}
            </ol>
          )}
        </>
      )}
    </div>
  );
}

const kindWords: Record<NoticeView['kind'], string> = {
  flag: 'Flag for you',
  flag_answered: 'Flag answered',
  flag_unanswered: 'Flag unanswered',
  comment: 'Comment',
  reply: 'Reply',
  returned: 'Returned',
  cosigned: 'Co-signed',
  signature_waiting: 'Signature waiting',
  cosign_waiting: 'Co-signature waiting',
  lock_waiting: 'Ready to lock',
  signatures_left: 'Not locked yet',
  locked_without_you: 'Locked without you',
  process_removal_asked: 'Process notes',
  process_removal_withdrawn: 'Process notes',
};

/** A notice that asked for a signature, a co-signature or an agreement is labelled by what has happened since, if anything. */
const nowWords: Record<Exclude<NoticeNow, 'waiting'>, string> = {
  signed: 'Signed',
  resign: 'To be signed again',
  cosigned: 'Co-signed',
  returned: 'Returned',
  agreed: 'You agreed',
  lapsed: 'No longer asked',
  removed: 'Removed',
};

const labelOf = (notice: NoticeView): string =>
  notice.now === null || notice.now === 'waiting' ? kindWords[notice.kind] : nowWords[notice.now];

function NoticeItem({ notice, onOpen, onRead }: { notice: NoticeView; onOpen(): void; onRead(): void }) {
  return (
    <li className={`notice-item${notice.read ? '' : ' notice-item--unread'}`} data-testid="notice" data-kind={notice.kind}>
      <span className={`notice-item__kind notice-item__kind--${notice.kind}`} data-testid="notice-label">{labelOf(notice)}</span>
      <Link to={notice.path} className="notice-item__text" onClick={onOpen}>
        {notice.text}
      </Link>
      <span className="muted notice-item__when">{formatDateTime(notice.createdAt)}</span>
      {!notice.read && (
        <button type="button" className="link-button" onClick={onRead}>
          Mark read<span className="visually-hidden">: {notice.text}</span>
        </button>
      )}
    </li>
  );
}
