import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  CanisterError,
  fieldError,
  formatRetryAfter,
  fromCandidError,
  fromThrown,
  unwrap,
} from '../../../src/frontend/src/api/errors';
import { ErrorNotice, FormError } from '../../../src/frontend/src/components/Feedback';

describe('fromCandidError', () => {
  it('maps every candid Error variant to its kind', () => {
    expect(fromCandidError({ NotAuthenticated: null }).info).toEqual({ kind: 'NotAuthenticated' });
    expect(fromCandidError({ Forbidden: 'admins only' }).info).toEqual({
      kind: 'Forbidden',
      reason: 'admins only',
    });
    expect(fromCandidError({ NotFound: 'proposal 9' }).info).toEqual({
      kind: 'NotFound',
      what: 'proposal 9',
    });
    expect(fromCandidError({ Invalid: { field: 'title', reason: 'too short' } }).info).toEqual({
      kind: 'Invalid',
      field: 'title',
      reason: 'too short',
    });
    expect(fromCandidError({ RateLimited: { retryAfterSeconds: 90 } }).info).toEqual({
      kind: 'RateLimited',
      retryAfterSeconds: 90,
    });
    expect(fromCandidError({ Conflict: 'name taken' }).info).toEqual({
      kind: 'Conflict',
      reason: 'name taken',
    });
  });

  it('turns the backend reason into a sentence naming the field', () => {
    const e = fromCandidError({
      Invalid: { field: 'title', reason: 'must be at least 4 characters' },
    });
    expect(e.message).toBe('Title must be at least 4 characters.');
    expect(fieldError(e, 'title')).toBe('Title must be at least 4 characters.');
    const nested = fromCandidError({
      Invalid: { field: 'milestone.eta', reason: 'must be a single line' },
    });
    expect(fieldError(nested, 'eta')).toBe('Eta must be a single line.');
    expect(fieldError(nested, 'title')).toBeUndefined();
    const named = fromCandidError({ Invalid: { field: 'displayName', reason: 'is taken' } });
    expect(named.message).toBe('Display name is taken.');
  });

  it('keeps a backend message that is already a sentence', () => {
    const e = fromCandidError({ Invalid: { field: 'displayName', reason: 'Name is taken.' } });
    expect(e).toBeInstanceOf(CanisterError);
    expect(e.message).toBe('Name is taken.');
    expect(fieldError(e, 'displayName')).toBe('Name is taken.');
    expect(fieldError(e, 'bio')).toBeUndefined();
  });
});

describe('unwrap', () => {
  it('returns Ok values and throws mapped Err values', () => {
    expect(unwrap({ Ok: 5 })).toBe(5);
    expect(() => unwrap({ Err: { Conflict: 'x' } })).toThrow(CanisterError);
    try {
      unwrap({ Err: { RateLimited: { retryAfterSeconds: 30 } } });
    } catch (e) {
      expect((e as CanisterError).kind).toBe('RateLimited');
    }
  });
});

describe('fromThrown', () => {
  it('recognizes network failures', () => {
    expect(fromThrown(new TypeError('Failed to fetch')).kind).toBe('Network');
  });

  it('recognizes an expired delegation as SessionExpired', () => {
    const e = fromThrown(new Error('Invalid delegation: Delegation expired at 2026-01-01'));
    expect(e.kind).toBe('SessionExpired');
  });

  it('keeps unknown failures as Unexpected with the first line only', () => {
    const e = fromThrown(new Error('Canister trapped\nlong stack'));
    expect(e.info).toEqual({ kind: 'Unexpected', detail: 'Canister trapped' });
  });

  it('passes CanisterErrors through unchanged', () => {
    const original = new CanisterError({ kind: 'Forbidden', reason: 'no' });
    expect(fromThrown(original)).toBe(original);
  });
});

describe('retry wording', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatRetryAfter(12)).toBe('12 s');
    expect(formatRetryAfter(61)).toBe('2 min');
    expect(formatRetryAfter(3600)).toBe('1 h');
    expect(formatRetryAfter(5400)).toBe('1 h 30 min');
  });

  it('ErrorNotice tells a rate-limited member when to retry and offers no instant retry', () => {
    render(
      <ErrorNotice
        error={fromCandidError({ RateLimited: { retryAfterSeconds: 1800 } })}
        onRetry={() => undefined}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('Try again in 30 min');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('FormError leaves field errors to their field and shows the rest', () => {
    const { container, rerender } = render(
      <FormError
        error={fromCandidError({ Invalid: { field: 'title', reason: 'bad' } })}
        fields={['title']}
      />,
    );
    expect(container.textContent).toBe('');
    rerender(<FormError error={fromCandidError({ Forbidden: 'banned' })} fields={['title']} />);
    expect(screen.getByRole('alert').textContent).toContain('Banned.');
  });
});
