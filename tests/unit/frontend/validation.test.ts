import { describe, expect, it } from 'vitest';
import {
  parseTags,
  textLength,
  validateComment,
  validateProfile,
  validateProposal,
  validateTags,
} from '../../../src/frontend/src/api/validation';

const draft = (patch: Partial<{ title: string; body: string; tags: string }>) => ({
  title: 'A fine title',
  body: '',
  tags: '',
  themeId: '',
  ...patch,
});

describe('proposal validation mirrors the backend limits', () => {
  it('title must be 4–120 characters after trimming', () => {
    expect(validateProposal(draft({ title: 'abc' })).title).toMatch(/at least 4/);
    expect(validateProposal(draft({ title: '   abcd   ' })).title).toBeUndefined();
    expect(validateProposal(draft({ title: 'x'.repeat(120) })).title).toBeUndefined();
    expect(validateProposal(draft({ title: 'x'.repeat(121) })).title).toMatch(/at most 120/);
  });

  it('title is single-line and rejects control characters', () => {
    expect(validateProposal(draft({ title: 'two\nlines' })).title).toMatch(/single line/);
    expect(validateProposal(draft({ title: 'bell\u0007here' })).title).toMatch(/control/);
    expect(validateProposal(draft({ title: 'c1\u0085here' })).title).toMatch(/control/);
    expect(validateProposal(draft({ title: 'tab\there' })).title).toMatch(/single line/);
    expect(validateProposal(draft({ title: 'ls\u2028here' })).title).toMatch(/single line/);
  });

  it('body may be empty and at most 10,000 characters; newlines and tabs are fine', () => {
    expect(validateProposal(draft({ body: '' })).body).toBeUndefined();
    expect(validateProposal(draft({ body: 'a\n\tb' })).body).toBeUndefined();
    expect(validateProposal(draft({ body: 'x'.repeat(10_000) })).body).toBeUndefined();
    expect(validateProposal(draft({ body: 'x'.repeat(10_001) })).body).toMatch(/10000/);
  });

  it('counts code points like the backend, not UTF-16 units', () => {
    expect(textLength('🚀🚀')).toBe(2);
    expect(validateProposal(draft({ title: '🚀'.repeat(120) })).title).toBeUndefined();
  });

  it('tags: at most 5, each [a-z0-9-]{1,24}', () => {
    expect(parseTags('Security, node-shuffling  ic')).toEqual(['security', 'node-shuffling', 'ic']);
    expect(validateTags(['a', 'b', 'c', 'd', 'e'])).toBeUndefined();
    expect(validateTags(['a', 'b', 'c', 'd', 'e', 'f'])).toMatch(/At most 5/);
    expect(validateTags(['under_score'])).toMatch(/under_score/);
    expect(validateTags(['x'.repeat(24)])).toBeUndefined();
    expect(validateTags(['x'.repeat(25)])).toBeDefined();
    expect(parseTags('same Same same')).toEqual(['same']);
    // Tags are shown as #tag; typed that way they mean the same tag.
    expect(parseTags('#security, #Node-shuffling')).toEqual(['security', 'node-shuffling']);
  });
});

describe('comment and profile validation', () => {
  it('comments need 1–5,000 characters', () => {
    expect(validateComment('   ')).toMatch(/required/);
    expect(validateComment('ok')).toBeUndefined();
    expect(validateComment('x'.repeat(5_001))).toMatch(/5000/);
  });

  it('display name 3–32 single-line characters, bio at most 280', () => {
    expect(validateProfile({ displayName: 'ab', bio: '' }).displayName).toMatch(/at least 3/);
    expect(validateProfile({ displayName: 'abc', bio: '' })).toEqual({});
    expect(validateProfile({ displayName: 'x'.repeat(33), bio: '' }).displayName).toBeDefined();
    expect(validateProfile({ displayName: 'a\nb c', bio: '' }).displayName).toMatch(/single/);
    expect(validateProfile({ displayName: 'alice', bio: 'x'.repeat(281) }).bio).toMatch(/280/);
  });
});
