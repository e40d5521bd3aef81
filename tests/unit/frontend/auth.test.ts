import { describe, expect, it } from 'vitest';
import { devAutoUser, identityProviderUrl } from '../../../src/frontend/src/api/auth';
import { selectConfig } from '../../../src/frontend/src/config';

const page = { origin: 'http://app.localhost:4943', port: '4943', protocol: 'http:' };
const localnet = selectConfig({ network: 'localnet', backendCanisterId: 'b' }, page);
const ic = selectConfig({ network: 'ic', backendCanisterId: 'b' }, page);

function at(search: string): Location {
  return { search } as Location;
}

describe('dev sign-in hint', () => {
  it('on localnet, ?devUser= becomes the stand-in’s ?autoUser= and is remembered for the tab', () => {
    expect(devAutoUser(localnet, at('?devUser=alice'))).toBe('alice');
    expect(devAutoUser(localnet, at(''))).toBe('alice');
    expect(identityProviderUrl(localnet, 'alice')).toBe(
      'http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:4943/?autoUser=alice',
    );
  });

  it('is ignored on mainnet and dfx local', () => {
    expect(devAutoUser(ic, at('?devUser=alice'))).toBeUndefined();
    expect(identityProviderUrl(ic, 'alice')).toBe('https://id.ai');
    const local = selectConfig({ network: 'local' }, page);
    expect(identityProviderUrl(local, 'alice')).not.toContain('autoUser');
  });

  it('without a hint the provider URL is used as configured', () => {
    expect(devAutoUser(localnet, at(''))).toBeUndefined();
    expect(identityProviderUrl(localnet, undefined)).toBe(localnet.identityProviderUrl);
  });
});

describe('session expiry', () => {
  it('is the earliest expiration in a delegation chain; other identities have none', async () => {
    const { DelegationChain, DelegationIdentity, Ed25519KeyIdentity } =
      await import('@dfinity/identity');
    const { sessionExpiresAt } = await import('../../../src/frontend/src/api/auth');
    const root = Ed25519KeyIdentity.generate();
    const session = Ed25519KeyIdentity.generate();
    const expiration = new Date(Date.UTC(2030, 0, 1));
    const chain = await DelegationChain.create(root, session.getPublicKey(), expiration);
    const delegated = DelegationIdentity.fromDelegation(session, chain);
    expect(sessionExpiresAt(delegated)).toBe(expiration.getTime());
    expect(sessionExpiresAt(session)).toBeUndefined();
  });
});
