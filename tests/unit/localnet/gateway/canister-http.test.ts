import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { sha256 } from '@noble/hashes/sha2';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalReplica } from '../../../../src/localnet/core/replica';
import { createCertifier } from '../../../../src/localnet/certification/certifier';
import {
  labeled,
  labeledTreeHash,
  toHashTree,
} from '../../../../src/localnet/certification/hash-tree';
import { encodeBody } from '../../../../src/localnet/http/cbor';
import { startLocalnetServer, type LocalnetServer } from '../../../../src/localnet/http/server';
import { HttpUpdateRequest } from '../../../../src/localnet/gateway/http-candid';
import { ALICE, openReplica, replyOf } from '../fixtures/harness';
import {
  StreamingCallbackResponse,
  TestHttpResponse,
  httpFixtureWasm,
  setAnswerArg,
} from '../fixtures/http-fixture';
import { httpRequest } from '../../../support/http-request';

let server: LocalnetServer;
let replica: LocalReplica;
let stateDir: string;
let canister: Principal;
let folderCanister: Principal;

const send = (path: string, headers: Record<string, string>, method = 'GET', body?: string) =>
  httpRequest({ port: server.port, path, headers, method, body });

const host = (id: Principal, raw = false) => ({
  Host: `${id.toText()}.${raw ? 'raw.' : ''}localhost:${server.port}`,
});
const utf8 = (s: string) => new TextEncoder().encode(s);

interface Answer {
  status_code?: number;
  headers?: [string, string][];
  body: string | Uint8Array;
  upgrade?: boolean;
  stream?: { key: string; index: number };
}

function encodeAnswer(a: Answer): Uint8Array {
  return new Uint8Array(
    IDL.encode(
      [TestHttpResponse],
      [
        {
          status_code: a.status_code ?? 200,
          headers: a.headers ?? [],
          body: typeof a.body === 'string' ? utf8(a.body) : a.body,
          upgrade: a.upgrade === undefined ? [] : [a.upgrade],
          streaming_strategy: a.stream
            ? [
                {
                  Callback: {
                    callback: [canister, 'http_streaming_callback'],
                    token: a.stream,
                  },
                },
              ]
            : [],
        },
      ],
    ),
  );
}

async function setSlot(slot: number, bytes: Uint8Array): Promise<void> {
  replyOf(await replica.update(canister, 'set_answer', setAnswerArg(slot, bytes), ALICE));
}

const setAnswer = (slot: number, answer: Answer) => setSlot(slot, encodeAnswer(answer));

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-http-'));
  const certifier = createCertifier(stateDir);
  replica = await openReplica({ dataCertificateProvider: certifier.dataCertificate });
  server = await startLocalnetServer({
    replica,
    stateDir,
    port: 0,
    certifier,
    internetIdentity: false,
  });
  canister = replica.createCanister({ controllers: [ALICE] });
  await replica.installCode({ canisterId: canister, wasm: httpFixtureWasm() });
  folderCanister = replica.createCanister({ controllers: [ALICE] });
  const site = join(stateDir, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), '<title>folder</title>');
  server.gateway.registerAssetCanister(folderCanister, site);
});

afterAll(async () => {
  await server.close();
  await replica.shutdown();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('gateway → http_request', () => {
  it('passes a request by host and by ?canisterId= to the canister and returns its response', async () => {
    await setAnswer(0, {
      status_code: 201,
      headers: [
        ['Content-Type', 'text/plain'],
        ['X-Feed', 'yes'],
      ],
      body: 'from the canister',
    });
    const byHost = await send('/feed.xml?x=1', host(canister));
    expect(byHost.status).toBe(201);
    expect(byHost.body).toBe('from the canister');
    expect(byHost.headers['x-feed']).toBe('yes');
    expect(byHost.headers['x-localnet-uncertified']).toContain('IC-Certificate');
    expect(byHost.headers['access-control-allow-origin']).toBe('*');
    const byQuery = await send(`/feed.xml?canisterId=${canister.toText()}`, {});
    expect(byQuery.status).toBe(201);
    expect(byQuery.body).toBe('from the canister');
  });

  it('keeps serving the registered folder where no module is installed', async () => {
    const res = await send('/', host(folderCanister));
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>folder</title>');
  });

  it('repeats the request as http_request_update when the query asks for an upgrade', async () => {
    await setAnswer(0, { body: 'query answer', upgrade: true });
    await setAnswer(1, { status_code: 200, headers: [['x-updated', '1']], body: 'updated' });
    const res = await send('/vote?id=7', host(canister), 'POST', 'payload');
    expect(res.status).toBe(200);
    expect(res.body).toBe('updated');
    expect(res.headers['x-updated']).toBe('1');
    const stored = replyOf(
      await replica.query({
        requestId: new Uint8Array(32),
        sender: ALICE,
        canisterId: canister,
        effectiveCanisterId: canister,
        methodName: 'last_update_request',
        arg: new Uint8Array(0),
      }),
    );
    const [req] = IDL.decode([HttpUpdateRequest], stored) as unknown as [
      { method: string; url: string; headers: [string, string][]; body: Uint8Array },
    ];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/vote?id=7');
    expect(new TextDecoder().decode(Uint8Array.from(req.body))).toBe('payload');
    expect(req.headers.some(([k]) => k === 'host')).toBe(true);
  });

  it('follows the streaming callback until it returns no token', async () => {
    await setAnswer(0, { body: 'one,', stream: { key: 'feed', index: 0 } });
    const chunk = (body: string, next?: number) =>
      new Uint8Array(
        IDL.encode(
          [StreamingCallbackResponse],
          [[{ body: utf8(body), token: next === undefined ? [] : [{ key: 'feed', index: next }] }]],
        ),
      );
    await setSlot(2, chunk('two,', 1));
    await setSlot(3, chunk('three'));
    const res = await send('/big', host(canister));
    expect(res.status).toBe(200);
    expect(res.body).toBe('one,two,three');
  });

  describe('certification', () => {
    const body = utf8('certified body');
    const tree = (hash: Uint8Array) => labeled([['http_assets', labeled([['/doc', hash]])]]);

    async function certifiedAnswer(served: Uint8Array): Promise<void> {
      const assets = tree(sha256(body));
      replyOf(await replica.update(canister, 'set_cert', labeledTreeHash(assets), ALICE));
      const certificate = server.certifier.dataCertificate(canister, labeledTreeHash(assets));
      const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
      await setAnswer(0, {
        headers: [
          ['content-type', 'text/plain'],
          [
            'IC-Certificate',
            `certificate=:${b64(certificate)}:, tree=:${b64(encodeBody(toHashTree(assets)))}:`,
          ],
        ],
        body: served,
      });
    }

    it('serves a response whose certification verifies', async () => {
      await certifiedAnswer(body);
      const res = await send('/doc', host(canister));
      expect(res.status).toBe(200);
      expect(res.body).toBe('certified body');
      expect(res.headers['x-localnet-uncertified']).toBeUndefined();
    });

    it('refuses a response that claims certification and fails it, except on the raw host', async () => {
      await certifiedAnswer(utf8('tampered body'));
      const res = await send('/doc', host(canister));
      expect(res.status).toBe(503);
      expect(res.body).toContain('Response verification failed');
      expect(res.body).not.toContain('tampered');
      const raw = await send('/doc', host(canister, true));
      expect(raw.status).toBe(200);
      expect(raw.body).toBe('tampered body');
    });
  });

  it('answers 404 for a canister id that does not exist', async () => {
    const missing = Principal.fromText('bd3sg-teaaa-aaaaa-qaaba-cai');
    const res = await send('/', host(missing));
    expect(res.status).toBe(404);
  });
});
