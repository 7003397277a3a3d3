import { useQuery } from '@tanstack/react-query';
import type { LoginThrottleView } from '../../../shared/domain/throttle';
import { clearLoginThrottle, fetchLoginThrottles } from '../../api/users';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime } from '../../format';

const what = (t: LoginThrottleView) =>
  t.kind === 'pair' ? `${t.email} from ${t.address}` : t.kind === 'address' ? `everyone at ${t.address}` : `${t.email} from anywhere`;

function ThrottleRow({ throttle, onCleared }: { throttle: LoginThrottleView; onCleared(): void }) {
  const clear = useSubmit(async () => {
    await clearLoginThrottle(throttle.id);
    onCleared();
  });
  return (
    <li className="members__row" data-testid="throttle-row">
      <span className="members__who">
        <span className="members__name">{what(throttle)}</span>
        <span className="muted">
          {throttle.failures} failed · last {formatDateTime(throttle.lastFailureAt)}
          {throttle.retryAfterSeconds > 0 && ` · waits ${throttle.retryAfterSeconds} s`}
        </span>
      </span>
      <button type="button" className="link-button" disabled={clear.isPending} onClick={() => void clear.run()}>
        Clear
      </button>
      <FormError error={clear.error} />
    </li>
  );
}

/** Failed logins being counted (and delayed): the admin can clear one, e.g. after a phone call. */
export function LoginThrottlesPanel() {
  const state = loadStateOf(useQuery({ queryKey: keys.loginThrottles, queryFn: () => fetchLoginThrottles() }));
  const reload = useStale(keys.loginThrottles);
  return (
    <section className="panel__section" data-testid="throttles-panel">
      <h2 className="panel__title">Failed logins</h2>
      {state.status === 'ok' ? (
        state.data.length === 0 ? (
          <p className="muted">None counted now.</p>
        ) : (
          <ul className="members">
            {state.data.map((t) => (
              <ThrottleRow key={t.id} throttle={t} onCleared={reload} />
            ))}
          </ul>
        )
      ) : (
        <PageState state={state} onRetry={reload} what="failed logins" />
      )}
      <button type="button" className="link-button" onClick={reload}>
        Refresh
      </button>
    </section>
  );
}
