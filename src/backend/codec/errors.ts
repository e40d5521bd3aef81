/**
 * The one error the codec throws. Its message is short and fixed in shape ("malformed candid:
 * <what>") because it can end up in a reject message seen by callers: no stack text, no
 * values, no build paths.
 */
export class CandidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CandidError';
  }
}

/** A decode failure caused by the bytes we were given. */
export function malformed(what: string): CandidError {
  return new CandidError('malformed candid: ' + what);
}
