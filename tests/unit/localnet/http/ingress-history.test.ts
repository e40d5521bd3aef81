/**
 * Ingress history as the IC keeps it: a signed call is executed once until its expiry, even
 * across a restart (a replayed envelope must not run again), and a request's status is
 * forgotten at its expiry, so no other principal can read its reply afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cbor, requestIdOf } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import type { Principal } from '@dfinity/principal';
import { utf8ToBytes } from '@noble/hashes/utils';
import { Certifier } from '../../../../src/localnet/certification/certifier';
import { generateNetworkKeys } from '../../../../src/localnet/certification/keys';
import { lookupPath, type HashTree } from '../../../../src/localnet/certification/hash-tree';
import { IcHttpApi } from '../../../../src/localnet/http/api';
import { decodeBody } from '../../../../src/localnet/http/cbor';
import { signedEnvelope } from '../auth/envelopes';
import { FakeClock, installFixture, openReplica, readState } from '../fixtures/harness';

const MINUTE = 60n * 1_000_000_000n;
const alice = Ed25519KeyIdentity.generate();
const bob = Ed25519KeyIdentity.generate();

async function signedCall(clock: FakeClock, canister: Principal, nonce = 7) {
  const content = {
    request_type: 'call',
    canister_id: canister,
    method_name: 'inc',
    arg: new Uint8Array(0),
    sender: alice.getPrincipal(),
    ingress_expiry: clock.nanos + 4n * MINUTE,
    nonce: new Uint8Array([nonce, nonce, nonce]),
  };
  const body = new Uint8Array(Cbor.encode(await signedEnvelope(alice, content)));
  return { body, requestId: new Uint8Array(requestIdOf(content)) };
}

async function readStatusAs(
  api: IcHttpApi,
  clock: FakeClock,
  canister: Principal,
  rid: Uint8Array,
) {
  const content = {
    request_type: 'read_state',
    paths: [[utf8ToBytes('request_status'), rid]],
    sender: bob.getPrincipal(),
    ingress_expiry: clock.nanos + 4n * MINUTE,
  };
  const body = new Uint8Array(Cbor.encode(await signedEnvelope(bob, content)));
  const response = await api
    .readState({ canister: canister.toText() }, body)
    .catch((e: { httpStatus?: number }) => ({ status: e.httpStatus ?? 500, body: '' }));
  if (response.status !== 200) return { status: response.status, reply: 'unreadable' as const };
  const { certificate } = decodeBody(response.body as Uint8Array) as { certificate: Uint8Array };
  const { tree } = decodeBody(certificate) as { tree: HashTree };
  const reply = lookupPath(tree, [utf8ToBytes('request_status'), rid, utf8ToBytes('reply')]);
  return { status: 200, reply: reply.status };
}

// One certifier for the file: deriving a BLS public key and starting the signing worker cost
// seconds of CPU on a loaded machine, and nothing here depends on which key signs. Each test
// points it at its own clock.
let certifier: Certifier;
beforeAll(() => {
  certifier = new Certifier(generateNetworkKeys());
}, 60_000);
afterAll(() => certifier.close());

// A restart reopens the replica from disk and re-instantiates the canister; the first sync
// call starts the BLS signing worker. Legitimately seconds when the machine is busy.
describe('ingress history', { timeout: 60_000 }, () => {
  it('does not execute a replayed signed call again after a restart, before its expiry', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'localnet-replay-'));
    const clock = new FakeClock(BigInt(Date.now()) * 1_000_000n);
    const first = await openReplica({ stateDir: path.join(dir, 'replica'), clock: clock.now });
    certifier.setClock(clock.now);
    const id = await installFixture(first);
    const call = await signedCall(clock, id);
    expect((await new IcHttpApi(first, certifier).call('v3', id.toText(), call.body)).status).toBe(
      200,
    );
    expect((await readState(first, id)).counter).toBe(1n);

    // kill -9, restart, and the same envelope sent again within its expiry.
    clock.advance(60);
    const second = await openReplica({ stateDir: path.join(dir, 'replica'), clock: clock.now });
    const api = new IcHttpApi(second, certifier);
    expect((await api.call('v3', id.toText(), call.body)).status).toBe(200);
    expect((await api.call('v2', id.toText(), call.body)).status).toBe(202);
    await second.idle();
    expect((await readState(second, id)).counter).toBe(1n);

    // After its expiry the envelope itself is refused, as on the IC.
    clock.advance(5 * 60);
    await expect(api.call('v3', id.toText(), call.body)).rejects.toThrow(/expiry/i);
    rmSync(dir, { recursive: true, force: true });
  });

  it('forgets a status at the request expiry, so nobody else reads the reply afterwards', async () => {
    const clock = new FakeClock(BigInt(Date.now()) * 1_000_000n);
    const replica = await openReplica({ clock: clock.now });
    certifier.setClock(clock.now);
    const api = new IcHttpApi(replica, certifier);
    const id = await installFixture(replica);
    const call = await signedCall(clock, id);
    expect((await api.call('v3', id.toText(), call.body)).status).toBe(200);
    expect(await readStatusAs(api, clock, id, call.requestId)).toEqual({
      status: 403,
      reply: 'unreadable',
    });
    clock.advance(5 * 60);
    // Any later call lets the interface forget expired requests.
    const later = await signedCall(clock, id, 8);
    expect((await api.call('v3', id.toText(), later.body)).status).toBe(200);
    const after = await readStatusAs(api, clock, id, call.requestId);
    expect(after.reply).not.toBe('found');
  });
});
