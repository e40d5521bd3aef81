/** `/_/topology` in PocketIC's JSON shape, with the ranges canisters are created from. */
import { Principal } from '@dfinity/principal';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalnetServer, type LocalnetServer } from '../../../../src/localnet/http/server';
import { FakeReplica } from './fake-replica';

let server: LocalnetServer;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'localnet-topology-'));
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

const fromBase64 = (b64: string) => Principal.fromUint8Array(Buffer.from(b64, 'base64'));

describe('/_/topology', () => {
  it('names the subnet, its canister ranges and the default effective canister id', async () => {
    const res = await fetch(`${server.url}/_/topology`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as {
      subnet_configs: Record<
        string,
        {
          subnet_kind: string;
          subnet_seed: number[];
          instruction_config: string;
          canister_ranges: { start: { canister_id: string }; end: { canister_id: string } }[];
        }
      >;
      default_effective_canister_id: { canister_id: string };
    };
    const subnet = body.subnet_configs[server.certifier.subnetId.toText()];
    expect(subnet).toBeDefined();
    expect(subnet?.subnet_kind).toBe('Application');
    expect(subnet?.instruction_config).toBe('Production');
    expect(subnet?.subnet_seed).toHaveLength(32);
    const ranges = subnet?.canister_ranges.map((r) => [
      fromBase64(r.start.canister_id).toText(),
      fromBase64(r.end.canister_id).toText(),
    ]);
    expect(ranges).toContainEqual([
      'rwlgt-iiaaa-aaaaa-aaaaa-cai',
      expect.stringMatching(/-cai$/) as unknown as string,
    ]);
    expect(ranges?.some(([start]) => start === 'bnz7o-iuaaa-aaaaa-qaaaa-cai')).toBe(true);
    expect(fromBase64(body.default_effective_canister_id.canister_id).toText()).toBe(
      'bnz7o-iuaaa-aaaaa-qaaaa-cai',
    );
  });
});
