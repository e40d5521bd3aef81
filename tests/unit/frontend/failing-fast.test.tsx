/**
 * A read that cannot be answered ends in an error with "Try again" within seconds, instead of
 * a spinner that keeps turning.
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withDeadline } from '../../../src/frontend/src/api/deadline';
import { CanisterError } from '../../../src/frontend/src/api/errors';
import { sampleRoadmap } from './helpers';

const api = vi.hoisted(() => ({ getRoadmap: vi.fn(), getMyPriorities: vi.fn() }));
vi.mock('../../../src/frontend/src/api/backend', () => ({ api }));
vi.mock('../../../src/frontend/src/hooks/auth', () => ({
  useAuth: () => ({ status: 'anonymous', principal: undefined }),
}));

const { createQueryClient } = await import('../../../src/frontend/src/app/queryClient');
const { default: RoadmapPage } = await import('../../../src/frontend/src/pages/RoadmapPage');

const unreachable = () => new CanisterError({ kind: 'Network', detail: 'Failed to fetch' });

afterEach(() => {
  vi.useRealTimers();
  api.getRoadmap.mockReset();
});

describe('a read with a deadline', () => {
  it('fails as a timeout when no answer comes in time', async () => {
    vi.useFakeTimers();
    const never = new Promise<never>(() => {});
    const result = withDeadline(never, 6_000);
    const settled = expect(result).rejects.toMatchObject({ kind: 'Timeout' });
    await vi.advanceTimersByTimeAsync(6_000);
    await settled;
    await expect(result).rejects.toThrow('did not answer within 6 seconds');
  });

  it('passes an answer or a failure through unchanged', async () => {
    await expect(withDeadline(Promise.resolve(42), 6_000)).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(unreachable()), 6_000)).rejects.toMatchObject({
      kind: 'Network',
    });
  });
});

describe('the query client', () => {
  function renderRoadmap() {
    const client = createQueryClient();
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <RoadmapPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );
  }

  it('tries an unreachable network once more, then shows the error with Try again', async () => {
    api.getRoadmap.mockRejectedValue(unreachable());
    const started = Date.now();
    renderRoadmap();
    const alert = await screen.findByRole('alert', {}, { timeout: 3_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(alert.textContent).toContain('Could not reach the network');
    expect(api.getRoadmap).toHaveBeenCalledTimes(2);

    api.getRoadmap.mockResolvedValue(sampleRoadmap());
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { name: 'Decentralized AI', level: 2 });
  });

  it('does not repeat a read that timed out or a canister answer', async () => {
    api.getRoadmap.mockRejectedValue(new CanisterError({ kind: 'Timeout', seconds: 6 }));
    renderRoadmap();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'did not answer within 6 seconds',
    );
    expect(api.getRoadmap).toHaveBeenCalledTimes(1);
    screen.getByRole('button', { name: 'Try again' });
  });
});
