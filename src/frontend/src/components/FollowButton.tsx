import { useRef } from 'react';
import type { FollowTarget } from '../api/models';
import { useAuth } from '../hooks/auth';
import { useSetFollowing } from '../hooks/mutations';
import { useFollowing } from '../hooks/queries';
import { ErrorNotice } from './Feedback';
import { announce } from './LiveRegion';

/**
 * "Follow" / "Following" on a proposal or item page, for signed-in members: followers get new
 * comments and changes in their inbox. A toggle (aria-pressed) that stays enabled while it
 * saves, so focus stays on it; a second press waits for the first and then applies its own.
 */
export function FollowButton({ target, what }: { target: FollowTarget; what: string }) {
  const { status } = useAuth();
  const following = useFollowing(target);
  const setFollowing = useSetFollowing(target);
  const saving = useRef<Promise<unknown>>(Promise.resolve());
  if (status !== 'signedIn' || following.data === undefined) return null;
  const on = following.data;

  const toggle = () => {
    const next = !on;
    saving.current = saving.current.then(() =>
      setFollowing.mutateAsync(next).then(
        () =>
          announce(
            next
              ? `You follow ${what}: new comments and changes reach your inbox.`
              : `You no longer follow ${what}.`,
          ),
        () => undefined,
      ),
    );
  };

  return (
    <>
      <button
        type="button"
        className={`btn btn-small follow-button${on ? ' is-on' : ''}`}
        aria-pressed={on}
        title={on ? `Stop following ${what}` : `Get new comments and changes in your inbox`}
        onClick={toggle}
      >
        {on ? 'Following' : 'Follow'}
      </button>
      {setFollowing.error && <ErrorNotice error={setFollowing.error} title="Not saved." />}
    </>
  );
}
