/**
 * Synchronous calls that finish together share one BLS signature: each caller still gets a
 * certificate the agent accepts, revealing only its own request's status.
 */
import { Actor, HttpAgent, type ActorSubclass } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IngressMessage, SubmitResult } from '../../../../src/localnet/core/replica-api';
import { startLocalnetServer, type LocalnetServer } from '../../../../src/localnet/http/server';
import { ECHO_ID, FakeReplica, echoIdl } from './fake-replica';

const CALLS = 20;

/** Holds every outcome until all calls have been submitted, as one group commit would. */
class GatedReplica extends FakeReplica {
  submitted = 0;
  #open!: () => void;
  readonly gate = new Promise<void>((resolve) => (this.#open = resolve));

  override async submitCall(message: IngressMessage): Promise<SubmitResult> {
    const result = await super.submitCall(message);
    if (++this.submitted === CALLS) this.#open();
    if (!result.accepted || !result.outcome) return result;
    const outcome = result.outcome;
    return { accepted: true, outcome: this.gate.then(() => outcome) };
  }
}

let server: LocalnetServer;
let stateDir: string;

// Creating the network keys derives a BLS public key (a G2 multiplication with its table
// precomputation): most of a second of CPU, several on a loaded machine.
beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-batch-'));
  server = await startLocalnetServer({
    replica: new GatedReplica(),
    stateDir,
    port: 0,
    internetIdentity: false,
  });
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(stateDir, { recursive: true, force: true });
});

// Each of the 20 agents verifies its certificate's BLS signature in JavaScript (about 25 ms
// of CPU each, many times that on a loaded machine), which is what this test is about.
describe('sync call certificates', { timeout: 60_000 }, () => {
  it('signs calls that finish together once, and each certificate verifies in the agent', async () => {
    const actors = await Promise.all(
      Array.from({ length: CALLS }, async (_, i) => {
        const agent = await HttpAgent.create({
          host: server.url,
          identity: Ed25519KeyIdentity.generate(new Uint8Array(32).fill(i + 1)),
          shouldFetchRootKey: true,
          retryTimes: 0,
        });
        return Actor.createActor(echoIdl, { agent, canisterId: ECHO_ID }) as ActorSubclass<{
          echo: (s: string) => Promise<string>;
        }>;
      }),
    );
    const sign = vi.spyOn(server.certifier, 'signRootHashOffThread');
    const replies = await Promise.all(actors.map((a, i) => a.echo(`call ${i}`)));
    expect(replies).toEqual(actors.map((_, i) => `call ${i}`));
    expect(sign.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(sign.mock.calls.length).toBeLessThanOrEqual(3);
    sign.mockRestore();
  });
});
