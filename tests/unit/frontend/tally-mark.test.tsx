import { render, screen } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TallyCheck } from '../../../src/frontend/src/api/tallyCheck';
import { markState, TallyMark } from '../../../src/frontend/src/components/TallyMark';
import { testQueryClient } from './helpers';

const backend = vi.hoisted(() => ({ getTallyProof: vi.fn() }));
const verify = vi.hoisted(() => ({ verifyTallyProof: vi.fn() }));
vi.mock('../../../src/frontend/src/api/actor', () => ({
  call: (fn: (s: typeof backend) => Promise<unknown>) => fn(backend),
  networkRootKey: () => Promise.resolve(new Uint8Array([1, 2, 3])),
}));
vi.mock('../../../src/frontend/src/config', () => ({
  appConfig: () => ({ backendCanisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai', network: 'localnet' }),
}));
vi.mock('../../../src/frontend/src/api/verifyTallies', async (original) => ({
  ...(await original<typeof import('../../../src/frontend/src/api/verifyTallies')>()),
  verifyTallyProof: verify.verifyTallyProof,
}));

const proof: Extract<TallyCheck, { outcome: 'pending' }> = {
  outcome: 'pending',
  proof: {
    certificate: new Uint8Array(),
    witness: new Uint8Array(),
    requested: { proposals: [], items: [] },
    receivedAt: new Date(),
  },
};
const witnessed = (up: number, down: number) => ({
  up,
  down,
  status: 'Open' as const,
  statusRef: undefined,
});

describe('what a tally mark says', () => {
  it('is verified only when the numbers shown are the certified ones', () => {
    const verified: TallyCheck = {
      outcome: 'verified',
      witnessed: witnessed(3, 1),
      certifiedAt: new Date(),
      proof: proof.proof,
    };
    expect(markState(verified, { up: 3, down: 1 }, false)).toEqual({ kind: 'verified' });
    // Right after a vote the screen is ahead of the certificate: checked again, then failed.
    expect(markState(verified, { up: 4, down: 1 }, false)).toEqual({ kind: 'checking' });
    expect(markState(verified, { up: 4, down: 1 }, true)).toEqual({
      kind: 'failed',
      reason: 'the certified tally is 3 up, 1 down',
    });
    expect(markState(proof, { up: 1, down: 0 }, true)).toEqual({
      kind: 'failed',
      reason: 'not in the certified tallies',
    });
    expect(
      markState(
        { outcome: 'failed', step: 'certificate', message: 'bad signature' },
        { up: 1, down: 0 },
        false,
      ),
    ).toEqual({ kind: 'failed', reason: 'bad signature' });
  });
});

describe('tally marks on a page', () => {
  beforeEach(() => {
    backend.getTallyProof.mockReset();
    verify.verifyTallyProof.mockReset();
  });

  it("share one proof for the page's tallies, and show a failed check plainly beside the number", async () => {
    backend.getTallyProof.mockResolvedValue({
      Ok: { certificate: [], witness: [], proposals: [], items: [] },
    });
    verify.verifyTallyProof.mockResolvedValue({
      certifiedAt: new Date(),
      proposals: new Map([
        [1n, witnessed(5, 0)],
        [2n, witnessed(7, 2)],
      ]),
      items: new Map(),
    });
    render(
      <QueryClientProvider client={testQueryClient()}>
        <MemoryRouter>
          <p>
            5 <TallyMark kind="proposal" id="1" shown={{ up: 5, down: 0 }} />
          </p>
          <p>
            9 <TallyMark kind="proposal" id="2" shown={{ up: 9, down: 2 }} />
          </p>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const verified = await screen.findByRole('link', { name: 'Tally verified: see the check' });
    expect(verified.getAttribute('href')).toBe('/verify/proposals/1');
    expect(backend.getTallyProof).toHaveBeenCalledTimes(1);
    expect(backend.getTallyProof).toHaveBeenCalledWith({ proposals: [1n, 2n], items: [] });
    // The second tally differs from the certified one: it is checked again, not hidden.
    expect(screen.getByText('9')).toBeTruthy();
  });

  it('says the check failed when the proof does not verify', async () => {
    const { TallyCheckError } = await import('../../../src/frontend/src/api/verifyTallies');
    backend.getTallyProof.mockResolvedValue({
      Ok: { certificate: [], witness: [], proposals: [], items: [] },
    });
    verify.verifyTallyProof.mockRejectedValue(
      new TallyCheckError('certified-data', "the witness's root is not the certified data"),
    );
    render(
      <QueryClientProvider client={testQueryClient()}>
        <MemoryRouter>
          <TallyMark kind="item" id="4" shown={{ votes: 3, supporters: 2 }} />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const failed = await screen.findByRole('link', {
      name: "Tally check failed: the witness's root is not the certified data",
    });
    expect(failed.getAttribute('href')).toBe('/verify/items/4');
    expect(failed.textContent).toBe('✗ check failed');
  });
});
