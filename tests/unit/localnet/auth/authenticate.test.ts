import { describe, expect, it } from 'vitest';
import { Cbor, type SignIdentity } from '@dfinity/agent';
import { decode } from '@dfinity/cbor';
import {
  DelegationChain,
  DelegationIdentity,
  ECDSAKeyIdentity,
  Ed25519KeyIdentity,
} from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
import { Principal } from '@dfinity/principal';
import { authenticate, RequestRejection } from '../../../../src/localnet/auth/authenticate';
import { CANISTER, callContent, NOW_NANOS, OTHER_CANISTER, signedEnvelope } from './envelopes';

const seed = (n: number) => new Uint8Array(32).fill(n);

function rejection(fn: () => unknown): RequestRejection {
  try {
    fn();
  } catch (e) {
    if (e instanceof RequestRejection) return e;
    throw e;
  }
  throw new Error('expected the request to be rejected');
}

async function delegated(
  root: SignIdentity,
  session: SignIdentity,
  expiration: Date,
  targets?: Principal[],
) {
  const chain = await DelegationChain.create(root, session.getPublicKey(), expiration, { targets });
  return DelegationIdentity.fromDelegation(session, chain);
}

describe('authenticate', () => {
  const identities: [string, () => Promise<SignIdentity>][] = [
    ['Ed25519', async () => Ed25519KeyIdentity.generate(seed(1))],
    ['ECDSA P-256', async () => ECDSAKeyIdentity.generate()],
    ['secp256k1', async () => Secp256k1KeyIdentity.generate(seed(2))],
  ];

  for (const [name, make] of identities) {
    it(`accepts a call signed with ${name} and derives the sender from the key`, async () => {
      const identity = await make();
      const env = await signedEnvelope(identity, callContent(identity.getPrincipal()));
      const req = authenticate(env, 'call', NOW_NANOS);
      expect(req.sender.toText()).toBe(identity.getPrincipal().toText());
      expect(req.requestType === 'call' && req.methodName).toBe('echo');
    });
  }

  it('rejects a tampered envelope', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(3));
    const env = await signedEnvelope(identity, callContent(identity.getPrincipal()));
    (env['content'] as Record<string, unknown>)['method_name'] = 'steal';
    const r = rejection(() => authenticate(env, 'call', NOW_NANOS));
    expect(r.httpStatus).toBe(403);
    expect(r.message).toContain('invalid signature');
  });

  it('rejects a flipped signature byte', async () => {
    const identity = await ECDSAKeyIdentity.generate();
    const env = await signedEnvelope(identity, callContent(identity.getPrincipal()));
    const sig = env['sender_sig'] as Uint8Array;
    sig[5] = (sig[5] as number) ^ 1;
    expect(rejection(() => authenticate(env, 'call', NOW_NANOS)).httpStatus).toBe(403);
  });

  it('rejects a sender that does not match the key', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(4));
    const other = Ed25519KeyIdentity.generate(seed(5)).getPrincipal();
    const env = await signedEnvelope(identity, callContent(other));
    const r = rejection(() => authenticate(env, 'call', NOW_NANOS));
    expect(r.message).toContain('does not match the public key');
  });

  it('rejects a request whose type does not match the endpoint', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(4));
    const env = await signedEnvelope(identity, callContent(identity.getPrincipal()));
    expect(rejection(() => authenticate(env, 'query', NOW_NANOS)).httpStatus).toBe(400);
  });

  it('accepts delegation chains and takes the sender from the first key', async () => {
    const root = Ed25519KeyIdentity.generate(seed(6));
    const session = await ECDSAKeyIdentity.generate();
    const identity = await delegated(root, session, new Date(Date.now() + 3_600_000));
    const env = await signedEnvelope(identity, callContent(identity.getPrincipal()));
    expect(identity.getPrincipal().toText()).toBe(root.getPrincipal().toText());
    expect(authenticate(env, 'call', NOW_NANOS).sender.toText()).toBe(root.getPrincipal().toText());
  });

  it('rejects an expired delegation', async () => {
    const root = Ed25519KeyIdentity.generate(seed(7));
    const session = Ed25519KeyIdentity.generate(seed(8));
    const identity = await delegated(root, session, new Date(Date.now() - 60_000));
    const env = await signedEnvelope(identity, callContent(identity.getPrincipal()));
    const r = rejection(() => authenticate(env, 'call', NOW_NANOS));
    expect(r.httpStatus).toBe(403);
    expect(r.message).toContain('expired');
  });

  it('rejects a request signed by a key other than the delegated one', async () => {
    const root = Ed25519KeyIdentity.generate(seed(9));
    const session = Ed25519KeyIdentity.generate(seed(10));
    const chain = await DelegationChain.create(
      root,
      session.getPublicKey(),
      new Date(Date.now() + 3_600_000),
    );
    const impostor = DelegationIdentity.fromDelegation(
      Ed25519KeyIdentity.generate(seed(11)),
      chain,
    );
    const env = await signedEnvelope(impostor, callContent(root.getPrincipal()));
    expect(rejection(() => authenticate(env, 'call', NOW_NANOS)).message).toContain('sender_sig');
  });

  it('enforces delegation targets', async () => {
    const root = Ed25519KeyIdentity.generate(seed(12));
    const session = Ed25519KeyIdentity.generate(seed(13));
    const identity = await delegated(root, session, new Date(Date.now() + 3_600_000), [
      OTHER_CANISTER,
    ]);
    const env = await signedEnvelope(identity, callContent(identity.getPrincipal()));
    expect(rejection(() => authenticate(env, 'call', NOW_NANOS)).message).toContain(
      CANISTER.toText(),
    );
    const allowed = await signedEnvelope(
      identity,
      callContent(identity.getPrincipal(), { canister_id: OTHER_CANISTER }),
    );
    expect(authenticate(allowed, 'call', NOW_NANOS).targets?.map((t) => t.toText())).toEqual([
      OTHER_CANISTER.toText(),
    ]);
  });

  it('rejects delegation chains that are too long or cyclic', async () => {
    const a = Ed25519KeyIdentity.generate(seed(14));
    const b = Ed25519KeyIdentity.generate(seed(15));
    const expiry = new Date(Date.now() + 3_600_000);
    let chain = await DelegationChain.create(a, b.getPublicKey(), expiry);
    chain = await DelegationChain.create(b, a.getPublicKey(), expiry, { previous: chain });
    const cyclic = DelegationIdentity.fromDelegation(a, chain);
    const env = await signedEnvelope(cyclic, callContent(a.getPrincipal()));
    expect(rejection(() => authenticate(env, 'call', NOW_NANOS)).message).toContain('cycle');

    const keys = Array.from({ length: 22 }, (_, i) => Ed25519KeyIdentity.generate(seed(40 + i)));
    let long = await DelegationChain.create(
      keys[0] as SignIdentity,
      (keys[1] as SignIdentity).getPublicKey(),
      expiry,
    );
    for (let i = 1; i < 21; i++) {
      long = await DelegationChain.create(
        keys[i] as SignIdentity,
        (keys[i + 1] as SignIdentity).getPublicKey(),
        expiry,
        { previous: long },
      );
    }
    expect(long.delegations.length).toBe(21);
    const tooLong = DelegationIdentity.fromDelegation(keys[21] as SignIdentity, long);
    const env2 = await signedEnvelope(
      tooLong,
      callContent((keys[0] as SignIdentity).getPrincipal()),
    );
    expect(rejection(() => authenticate(env2, 'call', NOW_NANOS)).message).toContain('at most 20');
  });

  it('rejects ingress expiry outside now … now + 6 min with the text the agent recognises', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(16));
    for (const expiry of [NOW_NANOS - 1n, NOW_NANOS + 7n * 60n * 1_000_000_000n]) {
      const env = await signedEnvelope(
        identity,
        callContent(identity.getPrincipal(), { ingress_expiry: expiry }),
      );
      const r = rejection(() => authenticate(env, 'call', NOW_NANOS));
      expect(r.httpStatus).toBe(400);
      expect(r.message.startsWith('Invalid request expiry: ')).toBe(true);
    }
    const edge = await signedEnvelope(
      identity,
      callContent(identity.getPrincipal(), {
        ingress_expiry: NOW_NANOS + 6n * 60n * 1_000_000_000n,
      }),
    );
    expect(authenticate(edge, 'call', NOW_NANOS).sender.toText()).toBe(
      identity.getPrincipal().toText(),
    );
  });

  it('lets anonymous queries and read_state skip the expiry window, but not calls', () => {
    const anonymous = Principal.anonymous();
    const old = NOW_NANOS - 3_600n * 1_000_000_000n;
    const readState = decode(
      Cbor.encode({
        content: { request_type: 'read_state', paths: [], sender: anonymous, ingress_expiry: old },
      }),
    );
    expect(authenticate(readState, 'read_state', NOW_NANOS).sender.isAnonymous()).toBe(true);
    const query = decode(
      Cbor.encode({
        content: callContent(anonymous, {
          request_type: 'query',
          ingress_expiry: old,
          nonce: undefined,
        }),
      }),
    );
    expect(authenticate(query, 'query', NOW_NANOS).sender.isAnonymous()).toBe(true);
    const call = decode(Cbor.encode({ content: callContent(anonymous, { ingress_expiry: old }) }));
    expect(rejection(() => authenticate(call, 'call', NOW_NANOS)).message).toMatch(
      /^Invalid request expiry: /,
    );
  });

  it('rejects an anonymous sender that carries a key', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(17));
    const env = await signedEnvelope(identity, callContent(Principal.anonymous()));
    expect(rejection(() => authenticate(env, 'call', NOW_NANOS)).message).toContain('anonymous');
  });

  it('refuses canister-signature and WebAuthn keys with a clear message', async () => {
    const identity = Ed25519KeyIdentity.generate(seed(18));
    const env = await signedEnvelope(identity, callContent(identity.getPrincipal()));
    // DER of a canister signature public key (OID 1.3.6.1.4.1.56387.1.2).
    const canisterSigKey = new Uint8Array([
      0x30, 0x1b, 0x30, 0x0c, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xb8, 0x43, 0x01,
      0x02, 0x03, 0x0b, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x01, 0x01,
    ]);
    const withCanisterSig = {
      ...env,
      sender_pubkey: canisterSigKey,
      content: {
        ...(env['content'] as object),
        sender: Principal.selfAuthenticating(canisterSigKey).toUint8Array(),
      },
    };
    expect(rejection(() => authenticate(withCanisterSig, 'call', NOW_NANOS)).message).toContain(
      'canister signatures',
    );
    const cose = new Uint8Array([0xa5, 0x01, 0x02, 0x03, 0x26]);
    const withCose = {
      ...env,
      sender_pubkey: cose,
      content: {
        ...(env['content'] as object),
        sender: Principal.selfAuthenticating(cose).toUint8Array(),
      },
    };
    expect(rejection(() => authenticate(withCose, 'call', NOW_NANOS)).message).toContain(
      'WebAuthn',
    );
  });
});
