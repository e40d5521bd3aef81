import { CanisterError } from './errors';

/** Settles like `work`, or fails with a Timeout error once `ms` have passed without an answer. */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CanisterError({ kind: 'Timeout', seconds: Math.round(ms / 1000) })),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
