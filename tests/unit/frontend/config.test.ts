import { describe, expect, it } from 'vitest';
import { ConfigError, MAINNET_II_URL, selectConfig } from '../../../src/frontend/src/config';

const localnetPage = {
  origin: 'http://uxrrr-q7777-77774-qaaaq-cai.localhost:4943',
  port: '4943',
  protocol: 'http:',
};
const icPage = {
  origin: 'https://abcde-aaaaa-aaaaa-aaaaa-cai.icp0.io',
  port: '',
  protocol: 'https:',
};

describe('selectConfig', () => {
  it('defaults to localnet: same-origin agent host, stand-in II on the page port, root key fetched', () => {
    const cfg = selectConfig(
      { backendCanisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai' },
      {
        ...localnetPage,
        origin: 'http://uxrrr-q7777-77774-qaaaq-cai.localhost:5000',
        port: '5000',
      },
    );
    expect(cfg.network).toBe('localnet');
    expect(cfg.host).toBe('http://uxrrr-q7777-77774-qaaaq-cai.localhost:5000');
    expect(cfg.identityProviderUrl).toBe('http://rdmx6-jaaaa-aaaaa-aaadq-cai.localhost:5000/');
    expect(cfg.fetchRootKey).toBe(true);
    expect(cfg.supportsDevAutoUser).toBe(true);
    expect(cfg.backendCanisterId).toBe('bkyz2-fmaaa-aaaaa-qaaaq-cai');
  });

  it('local (dfx) uses the II canister id from dfx and fetches the root key', () => {
    const cfg = selectConfig(
      { network: 'local', backendCanisterId: 'b', iiCanisterId: 'be2us-64aaa-aaaaa-qaabq-cai' },
      localnetPage,
    );
    expect(cfg.identityProviderUrl).toBe('http://be2us-64aaa-aaaaa-qaabq-cai.localhost:4943/');
    expect(cfg.fetchRootKey).toBe(true);
    expect(cfg.supportsDevAutoUser).toBe(false);
  });

  it('ic uses id.ai, the default host and never fetches the root key', () => {
    const cfg = selectConfig({ network: 'ic', backendCanisterId: 'b' }, icPage);
    expect(cfg.identityProviderUrl).toBe(MAINNET_II_URL);
    expect(cfg.identityProviderUrl).toBe('https://id.ai');
    expect(cfg.host).toBeUndefined();
    expect(cfg.fetchRootKey).toBe(false);
    expect(cfg.supportsDevAutoUser).toBe(false);
  });

  it('ic never fetches the root key even when a host and II URL are overridden', () => {
    const cfg = selectConfig(
      { network: 'ic', backendCanisterId: 'b', icHost: 'https://icp-api.io', iiUrl: 'https://x.y' },
      icPage,
    );
    expect(cfg.host).toBe('https://icp-api.io');
    expect(cfg.identityProviderUrl).toBe('https://x.y');
    expect(cfg.fetchRootKey).toBe(false);
  });

  it('explicit VITE_* values win over localnet defaults', () => {
    const cfg = selectConfig(
      { network: 'localnet', icHost: 'http://127.0.0.1:4943', iiUrl: 'http://ii.example/' },
      localnetPage,
    );
    expect(cfg.host).toBe('http://127.0.0.1:4943');
    expect(cfg.identityProviderUrl).toBe('http://ii.example/');
  });

  it('checks query signatures exactly where the root key is not taken from the server itself', () => {
    for (const network of ['localnet', 'local', 'ic']) {
      const cfg = selectConfig({ network, backendCanisterId: 'b' }, localnetPage);
      expect(cfg.verifyQuerySignatures).toBe(!cfg.fetchRootKey);
    }
    expect(selectConfig({ network: 'ic' }, icPage).verifyQuerySignatures).toBe(true);
  });

  it('rejects an unknown network instead of guessing', () => {
    expect(() => selectConfig({ network: 'mainnet' }, icPage)).toThrow(ConfigError);
  });
});
