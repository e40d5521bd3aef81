/**
 * An oversized request body gets a 413 that Node clients (fetch, hence @dfinity/agent) can
 * read: answering before the body is read and closing made them see EPIPE instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_REQUEST_BYTES,
  startLocalnetServer,
  type LocalnetServer,
} from '../../../../src/localnet/http/server';
import { ECHO_ID, FakeReplica } from './fake-replica';

let server: LocalnetServer;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-413-'));
  server = await startLocalnetServer({
    replica: new FakeReplica(),
    stateDir,
    port: 0,
    internetIdentity: false,
  });
});

afterAll(async () => {
  await server.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('oversized request bodies', { timeout: 60_000 }, () => {
  it('answers 413 to Node fetch every time, for a body just over the limit and one far over', async () => {
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 40; i++) {
      const size = i % 2 === 0 ? MAX_REQUEST_BYTES + 1024 : 4 * MAX_REQUEST_BYTES;
      try {
        const response = await fetch(`${server.url}/api/v3/canister/${ECHO_ID.toText()}/call`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/cbor' },
          body: new Uint8Array(size),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        statuses.push(cause?.code ?? String(err));
      }
    }
    expect(statuses).toEqual(new Array(40).fill(413));
  });
});
