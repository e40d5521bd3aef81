/**
 * The real `@dfinity/agent` against localnet's HTTP server, backed by an in-test replica.
 * If the agent accepts these responses (certificates, query signatures, polling), it will
 * accept them from the real execution core too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Actor,
  AnonymousIdentity,
  Cbor,
  CanisterStatus,
  HttpAgent,
  pollForResponse,
  requestIdOf,
  type ActorSubclass,
  type Identity,
  type SignIdentity,
} from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { decode } from '@dfinity/cbor';
import {
  DelegationChain,
  DelegationIdentity,
  ECDSAKeyIdentity,
  Ed25519KeyIdentity,
} from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
import { Principal } from '@dfinity/principal';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import {
  MAX_REQUEST_BYTES,
  startLocalnetServer,
  type LocalnetServer,
} from '../../../../src/localnet/http/server';
import { ECHO_ID, FakeReplica, echoIdl } from './fake-replica';

const ICP_LEDGER = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
const MISSING = Principal.fromText('r7inp-6aaaa-aaaaa-aaabq-cai');
const seed = (n: number) => new Uint8Array(32).fill(n);

type EchoActor = ActorSubclass<{
  echo: (s: string) => Promise<string>;
  echo_query: (s: string) => Promise<string>;
  whoami: () => Promise<Principal>;
  whoami_query: () => Promise<Principal>;
  fail: () => Promise<void>;
  fail_query: () => Promise<void>;
  blocked: () => Promise<void>;
}>;

let server: LocalnetServer;
let replica: FakeReplica;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-http-'));
  replica = new FakeReplica();
  server = await startLocalnetServer({ replica, stateDir, port: 0, internetIdentity: false });
});

afterAll(async () => {
  await server.close();
  rmSync(stateDir, { recursive: true, force: true });
});

async function agentFor(identity: Identity): Promise<HttpAgent> {
  return HttpAgent.create({ host: server.url, identity, shouldFetchRootKey: true, retryTimes: 0 });
}

async function actorFor(identity: Identity, canisterId = ECHO_ID): Promise<EchoActor> {
  return Actor.createActor(echoIdl, { agent: await agentFor(identity), canisterId });
}

async function post(path: string, body: Uint8Array | string): Promise<Response> {
  return fetch(server.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/cbor' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}

async function envelope(identity: SignIdentity | undefined, content: Record<string, unknown>) {
  if (!identity) return Cbor.encode({ content });
  const transformed = (await identity.transformRequest({
    endpoint: 'call',
    request: { method: 'POST', headers: {} },
    body: content,
  } as never)) as { body: unknown };
  return Cbor.encode(transformed.body);
}

const expiry = () => BigInt(Date.now() + 3 * 60_000) * 1_000_000n;

describe('status and root key', () => {
  it('serves the persisted root key', async () => {
    const res = await fetch(`${server.url}/api/v2/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = decode(new Uint8Array(await res.arrayBuffer())) as Record<string, unknown>;
    expect(bytesToHex(body['root_key'] as Uint8Array)).toBe(
      bytesToHex(server.certifier.rootKeyDer),
    );
    expect(body['replica_health_status']).toBe('healthy');
    const agent = await agentFor(new AnonymousIdentity());
    expect(bytesToHex(agent.rootKey as Uint8Array)).toBe(bytesToHex(server.certifier.rootKeyDer));
  });
});

describe('calls and queries through the agent', () => {
  const identities: [string, () => Promise<SignIdentity>][] = [
    ['Ed25519', async () => Ed25519KeyIdentity.generate(seed(1))],
    ['ECDSA P-256', async () => ECDSAKeyIdentity.generate()],
    ['secp256k1', async () => Secp256k1KeyIdentity.generate(seed(2))],
    [
      'a delegation (Ed25519 user → P-256 session)',
      async () => {
        const user = Ed25519KeyIdentity.generate(seed(3));
        const session = await ECDSAKeyIdentity.generate();
        const chain = await DelegationChain.create(
          user,
          session.getPublicKey(),
          new Date(Date.now() + 3_600_000),
        );
        return DelegationIdentity.fromDelegation(session, chain);
      },
    ],
  ];

  for (const [name, make] of identities) {
    it(`updates (v3, certified) and verified queries work with ${name}`, async () => {
      const identity = await make();
      const actor = await actorFor(identity);
      expect(await actor.echo('hello')).toBe('hello');
      expect((await actor.whoami()).toText()).toBe(identity.getPrincipal().toText());
      // Query signatures are verified by the agent by default (node key from read_state).
      expect((await actor.whoami_query()).toText()).toBe(identity.getPrincipal().toText());
      expect(await actor.echo_query('q')).toBe('q');
      const last = replica.messages.at(-1);
      expect(last?.sender.toText()).toBe(identity.getPrincipal().toText());
    });
  }

  it('reports certified rejects of updates and signed rejects of queries', async () => {
    const actor = await actorFor(Ed25519KeyIdentity.generate(seed(4)));
    await expect(actor.fail()).rejects.toThrow(/fail says no/);
    await expect(actor.fail_query()).rejects.toThrow(/fail_query says no/);
  });

  it('reports pre-execution rejections as non_replicated_rejection', async () => {
    const actor = await actorFor(Ed25519KeyIdentity.generate(seed(5)));
    await expect(actor.blocked()).rejects.toThrow(/inspect_message rejected/);
    const missing = await actorFor(Ed25519KeyIdentity.generate(seed(5)), MISSING);
    await expect(missing.echo('x')).rejects.toThrow(/not found/);
    await expect(missing.echo_query('x')).rejects.toThrow(/not found/);
  });

  it('answers the v2 asynchronous call with 202 and then serves its status to polling', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(6));
    const agent = await agentFor(identity);
    const arg = new Uint8Array(IDL.encode([IDL.Text], ['polled']));
    const { requestId, response } = await agent.call(ECHO_ID, {
      methodName: 'echo',
      arg,
      effectiveCanisterId: ECHO_ID,
      callSync: false,
    });
    expect(response.status).toBe(202);
    const { reply } = await pollForResponse(agent, ECHO_ID, requestId);
    expect(IDL.decode([IDL.Text], reply)).toEqual(['polled']);
  });

  it('v2 call pre-execution rejection is a 200 with the reject fields', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(6));
    const agent = await agentFor(identity);
    const { response } = await agent.call(MISSING, {
      methodName: 'echo',
      arg: new Uint8Array(IDL.encode([IDL.Text], ['x'])),
      effectiveCanisterId: MISSING,
      callSync: false,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ reject_code: 3, error_code: 'IC0301' });
  });
});

describe('read_state', () => {
  it('serves time, controllers, module hash, candid and node keys', async () => {
    const agent = await agentFor(Ed25519KeyIdentity.generate(seed(7)));
    const status = await CanisterStatus.request({
      agent,
      canisterId: ECHO_ID,
      paths: ['time', 'controllers', 'module_hash', 'candid', 'subnet'],
    });
    expect(status.get('time')).toBeInstanceOf(Date);
    expect((status.get('controllers') as Principal[]).map((p) => p.toText())).toEqual([
      '2vxsx-fae',
    ]);
    expect(status.get('module_hash')).toBe('ab'.repeat(32));
    expect(status.get('candid')).toBe('service : {}');
    const subnet = status.get('subnet') as { subnetId: string; nodeKeys: Map<string, unknown> };
    expect(subnet.subnetId).toBe(server.certifier.subnetId.toText());
    expect([...subnet.nodeKeys.keys()]).toEqual([server.certifier.nodeId.toText()]);
  });

  it('answers /time for any effective canister id (the agent syncs with the ICP ledger id)', async () => {
    const agent = await agentFor(new AnonymousIdentity());
    const status = await CanisterStatus.request({ agent, canisterId: ICP_LEDGER, paths: ['time'] });
    expect(status.get('time')).toBeInstanceOf(Date);
    await agent.syncTime();
    expect(agent.hasSyncedTime()).toBe(true);
  });

  it('recovers from a skewed client clock through the expiry error and time sync', async () => {
    replica.offsetNanos = 20n * 60n * 1_000_000_000n;
    try {
      const actor = await actorFor(Ed25519KeyIdentity.generate(seed(8)));
      expect(await actor.echo('later')).toBe('later');
    } finally {
      replica.offsetNanos = 0n;
    }
  });

  it('serves subnet read_state for /time and /subnet only', async () => {
    const sid = server.certifier.subnetId.toText();
    const timeOnly = await envelope(undefined, {
      request_type: 'read_state',
      paths: [[utf8ToBytes('time')], [utf8ToBytes('subnet')]],
      sender: Principal.anonymous(),
      ingress_expiry: expiry(),
    });
    expect((await post(`/api/v3/subnet/${sid}/read_state`, timeOnly)).status).toBe(200);
    expect((await post(`/api/v3/subnet/${ECHO_ID.toText()}/read_state`, timeOnly)).status).toBe(
      400,
    );
    const canisterPath = await envelope(undefined, {
      request_type: 'read_state',
      paths: [[utf8ToBytes('canister'), ECHO_ID.toUint8Array(), utf8ToBytes('controllers')]],
      sender: Principal.anonymous(),
      ingress_expiry: expiry(),
    });
    expect((await post(`/api/v3/subnet/${sid}/read_state`, canisterPath)).status).toBe(403);
    expect(
      (await post(`/api/v3/canister/${ECHO_ID.toText()}/read_state`, canisterPath)).status,
    ).toBe(200);
  });

  it('keeps private metadata and other senders’ request status private', async () => {
    const stranger = Ed25519KeyIdentity.generate(seed(9));
    const privateMeta = await envelope(stranger, {
      request_type: 'read_state',
      paths: [
        [
          utf8ToBytes('canister'),
          ECHO_ID.toUint8Array(),
          utf8ToBytes('metadata'),
          utf8ToBytes('secret'),
        ],
      ],
      sender: stranger.getPrincipal(),
      ingress_expiry: expiry(),
    });
    expect(
      (await post(`/api/v2/canister/${ECHO_ID.toText()}/read_state`, privateMeta)).status,
    ).toBe(403);

    const owner = Ed25519KeyIdentity.generate(seed(10));
    const agent = await agentFor(owner);
    const { requestId } = await agent.call(ECHO_ID, {
      methodName: 'echo',
      arg: new Uint8Array(IDL.encode([IDL.Text], ['mine'])),
      effectiveCanisterId: ECHO_ID,
    });
    const peek = await envelope(stranger, {
      request_type: 'read_state',
      paths: [[utf8ToBytes('request_status'), requestId]],
      sender: stranger.getPrincipal(),
      ingress_expiry: expiry(),
    });
    expect((await post(`/api/v2/canister/${ECHO_ID.toText()}/read_state`, peek)).status).toBe(403);
  });
});

describe('transport', () => {
  it('answers OPTIONS with 204 and CORS headers', async () => {
    const res = await fetch(`${server.url}/api/v3/canister/${ECHO_ID.toText()}/call`, {
      method: 'OPTIONS',
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('Content-Type');
  });

  it('404s unknown routes, including v4 query (the call fallback relies on it)', async () => {
    expect((await post(`/api/v4/canister/${ECHO_ID.toText()}/query`, '')).status).toBe(404);
    expect((await post(`/api/v2/canister/${ECHO_ID.toText()}/nope`, '')).status).toBe(404);
    expect((await fetch(`${server.url}/api/v2/nope`)).status).toBe(404);
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('accepts v4 call like v3', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(11));
    const content = {
      request_type: 'call',
      canister_id: ECHO_ID,
      method_name: 'echo',
      arg: new Uint8Array(IDL.encode([IDL.Text], ['v4'])),
      sender: identity.getPrincipal(),
      ingress_expiry: expiry(),
      nonce: new Uint8Array([9]),
    };
    const res = await post(
      `/api/v4/canister/${ECHO_ID.toText()}/call`,
      await envelope(identity, content),
    );
    expect(res.status).toBe(200);
    const body = decode(new Uint8Array(await res.arrayBuffer())) as Record<string, unknown>;
    expect(body['status']).toBe('replied');
    expect(body['certificate']).toBeInstanceOf(Uint8Array);
    expect(replica.requestStatus(requestIdOf(content))?.status).toBe('replied');
  });

  it('executes a resubmitted request once and answers both submissions', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(13));
    const content = {
      request_type: 'call',
      canister_id: ECHO_ID,
      method_name: 'echo',
      arg: new Uint8Array(IDL.encode([IDL.Text], ['twice'])),
      sender: identity.getPrincipal(),
      ingress_expiry: expiry(),
      nonce: new Uint8Array([13]),
    };
    const body = await envelope(identity, content);
    const before = replica.messages.length;
    const path = `/api/v3/canister/${ECHO_ID.toText()}/call`;
    const [a, b] = await Promise.all([post(path, body), post(path, body)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const res of [a, b]) {
      const decoded = decode(new Uint8Array(await res.arrayBuffer())) as Record<string, unknown>;
      expect(decoded['certificate']).toBeInstanceOf(Uint8Array);
    }
    expect((await post(path.replace('v3', 'v2'), body)).status).toBe(202);
    expect(replica.messages.length).toBe(before + 1);
  });

  it('refuses malformed, mismatched and oversized requests with transport errors', async () => {
    expect((await post(`/api/v3/canister/${ECHO_ID.toText()}/call`, 'not cbor')).status).toBe(400);
    expect((await post(`/api/v3/canister/not-a-principal/call`, '')).status).toBe(400);

    const identity = Ed25519KeyIdentity.generate(seed(12));
    const content = {
      request_type: 'call',
      canister_id: ECHO_ID,
      method_name: 'echo',
      arg: new Uint8Array(IDL.encode([IDL.Text], ['x'])),
      sender: identity.getPrincipal(),
      ingress_expiry: expiry(),
    };
    const wrongEcid = await post(
      `/api/v3/canister/${MISSING.toText()}/call`,
      await envelope(identity, content),
    );
    expect(wrongEcid.status).toBe(400);
    expect(await wrongEcid.text()).toContain('does not match the effective canister id');

    const stale = await post(
      `/api/v3/canister/${ECHO_ID.toText()}/call`,
      await envelope(identity, { ...content, ingress_expiry: 1n }),
    );
    expect(stale.status).toBe(400);
    expect(await stale.text()).toMatch(/^Invalid request expiry: /);

    const big = await post(
      `/api/v3/canister/${ECHO_ID.toText()}/call`,
      new Uint8Array(MAX_REQUEST_BYTES + 1024),
    );
    expect(big.status).toBe(413);
    // The server is still healthy afterwards.
    expect((await fetch(`${server.url}/api/v2/status`)).status).toBe(200);
  });
});
