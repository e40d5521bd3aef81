/**
 * What the first page load relies on: one agent whose caller can change without losing its
 * setup, caller-independent data kept across sign-in, and the build steps that take work off
 * the start-up path without weakening verification.
 */
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { bls12_381 } from '@noble/curves/bls12-381';
import { describe, expect, it } from 'vitest';
import { configureBackend, currentPrincipal, setCaller } from '../../../src/frontend/src/api/actor';
import { blsVerify } from '../../../src/frontend/src/api/blsOnDemand';
import { selectConfig } from '../../../src/frontend/src/config';
import { dependsOnCaller, queryKeys } from '../../../src/frontend/src/hooks/queryKeys';
import { agentBlsOnDemand, preloadRootKey } from '../../../src/frontend/vitePlugins';

const page = { origin: 'http://app.localhost:4943', port: '4943', protocol: 'http:' };

describe('the caller', () => {
  it('says whether a new identity is a different principal', () => {
    configureBackend(selectConfig({ network: 'localnet', backendCanisterId: 'b' }, page));
    const anonymous = currentPrincipal();
    expect(setCaller(undefined)).toBe('unchanged');
    const member = Ed25519KeyIdentity.generate();
    expect(setCaller(member)).toBe('changed');
    expect(currentPrincipal()).toBe(member.getPrincipal().toText());
    expect(setCaller(member)).toBe('unchanged');
    expect(setCaller(undefined)).toBe('changed');
    expect(currentPrincipal()).toBe(anonymous);
  });
});

describe('queries kept across sign-in', () => {
  it('keeps the roadmap and public reads, fetches caller-specific ones again', () => {
    expect(dependsOnCaller(queryKeys.roadmap())).toBe(false);
    expect(dependsOnCaller(queryKeys.thread({ kind: 'Proposal', id: '1' }))).toBe(false);
    expect(dependsOnCaller(queryKeys.me())).toBe(true);
    expect(dependsOnCaller(queryKeys.priorities())).toBe(true);
    // A list carries the caller's own vote on each proposal, an item the caller's own votes.
    expect(dependsOnCaller(queryKeys.proposalList({ sort: 'Hot' }))).toBe(true);
    expect(dependsOnCaller(queryKeys.proposal('1'))).toBe(true);
    expect(dependsOnCaller(queryKeys.item('1'))).toBe(true);
    // Unknown families are treated as caller-specific.
    expect(dependsOnCaller(['rc', 'something-new'])).toBe(true);
  });
});

describe('BLS verification loaded on demand', () => {
  // IC certificates are "min-sig" BLS12-381: signatures in G1, public keys in G2.
  const secret = bls12_381.utils.randomPrivateKey();
  const publicKey = bls12_381.getPublicKeyForShortSignatures(secret);
  const message = new TextEncoder().encode('certified state');
  const signature = bls12_381.signShortSignature(message, secret);

  it('accepts a valid signature and refuses a tampered one or another message', async () => {
    expect(await blsVerify(publicKey, signature, message)).toBe(true);
    const tampered = new Uint8Array(message);
    tampered[0] = tampered[0]! ^ 1;
    expect(await blsVerify(publicKey, signature, tampered)).toBe(false);
    const other = bls12_381.getPublicKeyForShortSignatures(bls12_381.utils.randomPrivateKey());
    expect(await blsVerify(other, signature, message)).toBe(false);
  });

  it('replaces the agent’s BLS module only for imports from the agent', () => {
    const plugin = agentBlsOnDemand('/app/src/frontend/src/api/blsOnDemand.ts');
    const resolve = plugin.resolveId as (source: string, importer?: string) => string | null;
    const agentFile = '/app/node_modules/@dfinity/agent/lib/esm/certificate.js';
    expect(resolve('./utils/bls.js', agentFile)).toBe('/app/src/frontend/src/api/blsOnDemand.ts');
    expect(resolve('./utils/bls.js', '/app/node_modules/@dfinity/agent/lib/esm/index.js')).toBe(
      '/app/src/frontend/src/api/blsOnDemand.ts',
    );
    expect(resolve('./utils/bls.js', '/app/src/frontend/src/main.tsx')).toBeNull();
    expect(resolve('./certificate.js', agentFile)).toBeNull();
  });
});

describe('the root key preload', () => {
  type Tags = { attrs: Record<string, string> }[];
  const tags = (network: string, host = '') =>
    (preloadRootKey(network, host).transformIndexHtml as unknown as () => Tags)();

  it('is in index.html where the agent fetches the root key, from the agent’s host', () => {
    expect(tags('localnet')[0]?.attrs).toMatchObject({ rel: 'preload', href: '/api/v2/status' });
    expect(tags('local', 'http://127.0.0.1:4943')[0]?.attrs.href).toBe(
      'http://127.0.0.1:4943/api/v2/status',
    );
  });

  it('is absent on mainnet, whose root key is built in', () => {
    expect(tags('ic')).toEqual([]);
  });
});
