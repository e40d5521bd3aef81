import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Certificate, lookupResultToBuffer } from '@dfinity/agent';
import { decode } from '@dfinity/cbor';
import { Principal } from '@dfinity/principal';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { createCertifier } from '../../../../src/localnet/certification/certifier';
import { labeled, leb128 } from '../../../../src/localnet/certification/hash-tree';

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'localnet-cert-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const nowNanos = () => BigInt(Date.now()) * 1_000_000n;
const canister = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');

describe('certifier', () => {
  it('persists its keys in the state folder', () => {
    const dir = stateDir();
    const a = createCertifier(dir);
    const b = createCertifier(dir);
    expect(bytesToHex(b.rootKeyDer)).toBe(bytesToHex(a.rootKeyDer));
    expect(b.nodeId.toText()).toBe(a.nodeId.toText());
    expect(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'))).toHaveProperty('version', 1);
    expect(bytesToHex(createCertifier(stateDir()).rootKeyDer)).not.toBe(bytesToHex(a.rootKeyDer));
  });

  it('derives the root key DER, subnet id and node key as the IC does', () => {
    const c = createCertifier(stateDir());
    expect(c.rootKeyDer.length).toBe(133);
    expect(bytesToHex(c.rootKeyDer)).toMatch(
      /^308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100/,
    );
    expect(c.subnetId.toText()).toBe(Principal.selfAuthenticating(c.rootKeyDer).toText());
    expect(c.keys.nodePublicKeyDer.length).toBe(44);
  });

  it('produces certificates the agent verifies against the root key', async () => {
    const c = createCertifier(stateDir());
    const state = labeled([
      ['time', leb128(nowNanos())],
      [
        'canister',
        labeled([[canister.toUint8Array(), labeled([['certified_data', utf8ToBytes('x')]])]]),
      ],
    ]);
    const bytes = c.certify(state, [[utf8ToBytes('canister'), canister.toUint8Array()]]);
    const cert = await Certificate.create({
      certificate: bytes,
      rootKey: c.rootKeyDer,
      canisterId: canister,
    });
    expect(
      lookupResultToBuffer(
        cert.lookup_path(['canister', canister.toUint8Array(), 'certified_data']),
      ),
    ).toEqual(utf8ToBytes('x'));
    expect(lookupResultToBuffer(cert.lookup_path(['time']))).toBeDefined();
  });

  it('rejects certificates signed by another network', async () => {
    const c = createCertifier(stateDir());
    const other = createCertifier(stateDir());
    const bytes = c.certify(labeled([['time', leb128(nowNanos())]]), []);
    await expect(
      Certificate.create({ certificate: bytes, rootKey: other.rootKeyDer, canisterId: canister }),
    ).rejects.toThrow();
  });

  it('provides data certificates for ic0.data_certificate', async () => {
    const c = createCertifier(stateDir(), nowNanos);
    const bytes = c.dataCertificate(canister, new Uint8Array([1, 2, 3]));
    const decoded = decode(bytes) as { signature: Uint8Array };
    expect(decoded.signature.length).toBe(48);
    const cert = await Certificate.create({
      certificate: bytes,
      rootKey: c.rootKeyDer,
      canisterId: canister,
    });
    expect(
      lookupResultToBuffer(
        cert.lookup_path(['canister', canister.toUint8Array(), 'certified_data']),
      ),
    ).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('reuses a data certificate for the same certified data within a second', () => {
    let now = 1_700_000_000_000_000_000n;
    const c = createCertifier(stateDir(), () => now);
    const sign = vi.spyOn(c, 'signRootHash');
    const first = c.dataCertificate(canister, new Uint8Array([1]));
    now += 500_000_000n;
    expect(c.dataCertificate(canister, new Uint8Array([1]))).toBe(first);
    expect(sign).toHaveBeenCalledTimes(1);
    // New certified data, or a certificate older than a second, is signed afresh.
    expect(c.dataCertificate(canister, new Uint8Array([2]))).not.toBe(first);
    now += 2_000_000_000n;
    c.dataCertificate(canister, new Uint8Array([2]));
    expect(sign).toHaveBeenCalledTimes(3);
  });
});
