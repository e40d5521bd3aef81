/**
 * What explorers and tools read about the backend without calling it: the certified
 * `canister/<id>/{module_hash, controllers, metadata/candid:service}` paths, through the
 * agent's CanisterStatus over read_state, as on the IC.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CanisterStatus, HttpAgent } from '@dfinity/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startTestNet, type TestNet } from './harness';

let net: TestNet;

beforeAll(async () => {
  net = await startTestNet();
});

afterAll(async () => {
  await net?.dispose();
});

describe('canister status through read_state', () => {
  it('certifies the module hash, the controllers and the candid interface', async () => {
    const agent = await HttpAgent.create({ host: net.localnet.apiUrl, shouldFetchRootKey: true });
    const status = await CanisterStatus.request({
      agent,
      canisterId: net.localnet.backendId,
      paths: ['module_hash', 'controllers', 'candid'],
    });
    const wasm = readFileSync(join(ROOT, '.azle', 'backend', 'backend.wasm'));
    expect(status.get('module_hash')).toBe(createHash('sha256').update(wasm).digest('hex'));
    const controllers = status.get('controllers') as { toText(): string }[];
    expect(controllers.map((p) => p.toText())).toEqual([net.deployer.getPrincipal().toText()]);
    const did = readFileSync(join(ROOT, 'src', 'backend', 'backend.did'), 'utf8');
    expect(status.get('candid')).toBe(did);
  });
});
