/**
 * The one place where backend failures become a typed `CanisterError`. Components never see
 * raw candid variants or agent exceptions; they switch on `error.kind`.
 */
import type { CError } from './backendTypes';

export type CanisterErrorKind =
  | { kind: 'NotAuthenticated' }
  | { kind: 'Forbidden'; reason: string }
  | { kind: 'NotFound'; what: string }
  | { kind: 'Invalid'; field: string; reason: string }
  | { kind: 'RateLimited'; retryAfterSeconds: number }
  | { kind: 'Conflict'; reason: string }
  | { kind: 'Network'; detail: string }
  | { kind: 'Timeout'; seconds: number }
  | { kind: 'SessionExpired' }
  | { kind: 'Unexpected'; detail: string };

export type ErrorKindName = CanisterErrorKind['kind'];

export class CanisterError extends Error {
  override name = 'CanisterError';
  readonly info: CanisterErrorKind;

  constructor(info: CanisterErrorKind) {
    super(describeError(info));
    this.info = info;
  }

  get kind(): ErrorKindName {
    return this.info.kind;
  }
}

/** The candid `Error` variant as the generated bindings decode it. */
export type CandidError = CError;

export function fromCandidError(err: CandidError): CanisterError {
  if ('NotAuthenticated' in err) return new CanisterError({ kind: 'NotAuthenticated' });
  if ('Forbidden' in err) return new CanisterError({ kind: 'Forbidden', reason: err.Forbidden });
  if ('NotFound' in err) return new CanisterError({ kind: 'NotFound', what: err.NotFound });
  if ('Invalid' in err) return new CanisterError({ kind: 'Invalid', ...err.Invalid });
  if ('RateLimited' in err)
    return new CanisterError({
      kind: 'RateLimited',
      retryAfterSeconds: Number(err.RateLimited.retryAfterSeconds),
    });
  if ('Conflict' in err) return new CanisterError({ kind: 'Conflict', reason: err.Conflict });
  return new CanisterError({ kind: 'Unexpected', detail: 'Unknown error from the canister.' });
}

/** Unwraps a candid `Result` or throws the mapped error. */
export function unwrap<T>(result: { Ok: T } | { Err: CandidError }): T {
  if ('Ok' in result) return result.Ok;
  throw fromCandidError(result.Err);
}

const SESSION_EXPIRED_PATTERNS = [
  /delegation.*expir/i,
  /expir.*delegation/i,
  /invalid delegation/i,
  /certificate.*expired/i,
];

/** Exceptions thrown by the agent (transport failures, rejects, expired delegations). */
export function fromThrown(thrown: unknown): CanisterError {
  if (thrown instanceof CanisterError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const name = thrown instanceof Error ? thrown.constructor.name || thrown.name : '';
  if (SESSION_EXPIRED_PATTERNS.some((p) => p.test(message))) {
    return new CanisterError({ kind: 'SessionExpired' });
  }
  // inspect_message rejects anonymous update calls before they reach a method.
  if (/anonymous/i.test(message) && /reject|not allowed|sign in/i.test(message)) {
    return new CanisterError({ kind: 'NotAuthenticated' });
  }
  if (
    name === 'TransportError' ||
    (thrown instanceof TypeError && /fetch|network|load failed/i.test(message)) ||
    /failed to fetch|networkerror|ECONNREFUSED/i.test(message)
  ) {
    return new CanisterError({ kind: 'Network', detail: firstLine(message) });
  }
  return new CanisterError({ kind: 'Unexpected', detail: firstLine(message) });
}

function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}

export function formatRetryAfter(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

export function describeError(info: CanisterErrorKind): string {
  switch (info.kind) {
    case 'NotAuthenticated':
      return 'Please sign in to do that.';
    case 'Forbidden':
      return info.reason ? sentence(info.reason) : 'You are not allowed to do that.';
    case 'NotFound':
      return notFoundMessage(info.what);
    case 'Invalid':
      return invalidMessage(info.field, info.reason);
    case 'RateLimited':
      return `You are doing that too often. Try again in ${formatRetryAfter(info.retryAfterSeconds)}.`;
    case 'Conflict':
      return info.reason ? sentence(info.reason) : 'That conflicts with the current state.';
    case 'Network':
      return 'Could not reach the network. Check your connection and try again.';
    case 'Timeout':
      return `The network did not answer within ${info.seconds} seconds. Try again in a moment.`;
    case 'SessionExpired':
      return 'Your session has expired. Sign in again to continue — your draft is kept.';
    case 'Unexpected':
      return `Something went wrong: ${info.detail}`;
  }
}

/**
 * The backend names what it could not find by kind and id ("proposal 99", "milestone
 * cyclotron"); say it as a sentence, with ids numbered the way the app shows them ("#99").
 */
export function notFoundMessage(what: string): string {
  const named = /^(proposal|comment|item|theme|milestone) (\S+)$/.exec(what.trim());
  if (!named) return what ? `Not found: ${what}.` : 'Not found.';
  const [, kind, key] = named;
  const label = kind === 'item' ? 'roadmap item' : kind;
  return /^\d+$/.test(key ?? '')
    ? `There is no ${label} #${key}.`
    : `There is no ${label} “${key}”.`;
}

/** Backend reasons are lower-case phrases ("that display name is taken"); show them as sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** "theme.displayName" → "Display name": the last path segment, in words. */
export function fieldLabel(field: string): string {
  const last = field.split('.').pop() ?? field;
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The backend phrases reasons as predicates ("must be at least 4 characters"); they read as a
 * sentence with the field's name in front. Full sentences are kept as they are.
 */
export function invalidMessage(field: string, reason: string): string {
  const text = reason.trim();
  if (text === '') return `${fieldLabel(field)} is not valid.`;
  if (/^[a-z"]/.test(text)) {
    const sentence = `${fieldLabel(field)} ${text}`;
    return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
  }
  return text;
}

export function asCanisterError(error: unknown): CanisterError {
  return error instanceof CanisterError ? error : fromThrown(error);
}

/** Whether the backend's field path (e.g. "milestone.eta") names this form field. */
export function sameField(backendField: string, formField: string): boolean {
  return backendField === formField || backendField.endsWith(`.${formField}`);
}

/** The backend's message for one form field, when the error is about that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (error instanceof CanisterError && error.info.kind === 'Invalid') {
    return sameField(error.info.field, field) ? error.message : undefined;
  }
  return undefined;
}
