/** Expected failures are values: the canister returns them as `Err`, it never traps on them. */
export type DomainError =
  | { NotAuthenticated: null }
  | { Forbidden: string }
  | { NotFound: string }
  | { Invalid: { field: string; reason: string } }
  | { RateLimited: { retryAfterSeconds: number } }
  | { Conflict: string };

/** A failed result; assignable to every `Result<T>`, so guards can return it as is. */
export type Failure = { Err: DomainError };

export type Result<T> = { Ok: T } | Failure;

export const ok = <T>(value: T): { Ok: T } => ({ Ok: value });
export const err = (error: DomainError): Failure => ({ Err: error });

export const notAuthenticated = (): Failure => err({ NotAuthenticated: null });
export const forbidden = (why: string): Failure => err({ Forbidden: why });
export const notFound = (what: string): Failure => err({ NotFound: what });
export const invalid = (field: string, reason: string): Failure =>
  err({ Invalid: { field, reason } });
export const conflict = (why: string): Failure => err({ Conflict: why });
export const rateLimited = (retryAfterSeconds: number): Failure =>
  err({ RateLimited: { retryAfterSeconds } });

export function isErr<T>(result: Result<T>): result is Failure {
  return 'Err' in result;
}
