/**
 * Authentication of request envelopes (interface spec, "Authentication"): the request id,
 * the sender's signature, delegation chains, the sender/key match and the ingress expiry
 * window. Anything that fails here is rejected before the request reaches the replica.
 */
import { Principal } from '@dfinity/principal';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { selfAuthenticatingPrincipal } from '../certification/keys';
import { hashOfMap, requestIdOf } from './request-id';
import {
  hexOf,
  parsePublicKey,
  UnsupportedKeyError,
  verifySignature,
  type ParsedPublicKey,
} from './public-keys';

export type RequestType = 'call' | 'query' | 'read_state';

/** A request refused before execution; `httpStatus` is what the HTTP interface answers. */
export class RequestRejection extends Error {
  constructor(
    readonly httpStatus: 400 | 403 | 404 | 413,
    message: string,
  ) {
    super(message);
  }
}

const ANONYMOUS = Principal.anonymous();
const MAX_DELEGATIONS = 20;
const NANOS_PER_SECOND = 1_000_000_000n;
/** The IC's maximum ingress TTL (5 min) plus its permitted clock drift (60 s). */
export const MAX_INGRESS_TTL_NANOS = 5n * 60n * NANOS_PER_SECOND;
export const PERMITTED_DRIFT_NANOS = 60n * NANOS_PER_SECOND;

function domainSeparator(name: string): Uint8Array {
  const bytes = utf8ToBytes(name);
  return concatBytes(Uint8Array.of(bytes.length), bytes);
}
const REQUEST_DS = domainSeparator('ic-request');
const DELEGATION_DS = domainSeparator('ic-request-auth-delegation');

interface CommonContent {
  requestId: Uint8Array;
  sender: Principal;
  ingressExpiry: bigint;
  /** Canisters the delegation chain restricts the sender to; undefined = unrestricted. */
  targets: Principal[] | undefined;
}

export type AuthenticatedRequest =
  | (CommonContent & {
      requestType: 'call' | 'query';
      canisterId: Principal;
      methodName: string;
      arg: Uint8Array;
    })
  | (CommonContent & { requestType: 'read_state'; paths: Uint8Array[][] });

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function bad(message: string): RequestRejection {
  return new RequestRejection(400, message);
}

function blob(map: Record<string, unknown>, field: string): Uint8Array {
  const v = map[field];
  if (!(v instanceof Uint8Array)) throw bad(`${field}: expected a byte string`);
  return v;
}

function nat(map: Record<string, unknown>, field: string): bigint {
  const v = map[field];
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw bad(`${field}: expected a natural number`);
}

function text(map: Record<string, unknown>, field: string): string {
  const v = map[field];
  if (typeof v !== 'string') throw bad(`${field}: expected a text string`);
  return v;
}

function principal(bytes: Uint8Array, field: string): Principal {
  if (bytes.length > 29) throw bad(`${field}: a principal has at most 29 bytes`);
  return Principal.fromUint8Array(bytes);
}

function parseKey(der: Uint8Array, what: string) {
  try {
    return parsePublicKey(der);
  } catch (e) {
    if (e instanceof UnsupportedKeyError) throw bad(`${what}: ${e.message}`);
    throw e;
  }
}

/**
 * Sender keys seen recently, parsed and with the principal they derive: an agent signs every
 * request with the same key, so parsing and hashing it (SHA-224) again each time is waste.
 */
const senderKeys = new Map<string, { key: ParsedPublicKey; principal: Principal }>();
const MAX_SENDER_KEYS = 4096;

function senderKey(der: Uint8Array): { key: ParsedPublicKey; principal: Principal } {
  const id = hexOf(der);
  let known = senderKeys.get(id);
  if (!known) {
    const copy = der.slice();
    known = { key: parseKey(copy, 'sender_pubkey'), principal: selfAuthenticatingPrincipal(copy) };
    if (senderKeys.size >= MAX_SENDER_KEYS) senderKeys.clear();
    senderKeys.set(id, known);
  }
  return known;
}

function intersectTargets(a: Principal[] | undefined, b: Principal[]): Principal[] {
  if (a === undefined) return b;
  return a.filter((p) => b.some((q) => q.compareTo(p) === 'eq'));
}

export function targetsAllow(targets: Principal[] | undefined, canister: Principal): boolean {
  return targets === undefined || targets.some((t) => t.compareTo(canister) === 'eq');
}

/**
 * Verifies an envelope `{content, sender_pubkey?, sender_sig?, sender_delegation?}` of the
 * given request type at replica time `nowNanos`.
 */
export function authenticate(
  envelope: unknown,
  expectedType: RequestType,
  nowNanos: bigint,
): AuthenticatedRequest {
  if (!isMap(envelope)) throw bad('request body: expected a CBOR map');
  const content = envelope['content'];
  if (!isMap(content)) throw bad('content: expected a CBOR map');
  const requestType = text(content, 'request_type');
  if (requestType !== expectedType) {
    throw bad(`request_type: expected "${expectedType}" at this endpoint, got "${requestType}"`);
  }

  let requestId: Uint8Array;
  try {
    requestId = requestIdOf(content);
  } catch (e) {
    throw bad(`content cannot be hashed: ${(e as Error).message}`);
  }
  const sender = principal(blob(content, 'sender'), 'sender');
  const ingressExpiry = nat(content, 'ingress_expiry');

  const pubkey = envelope['sender_pubkey'];
  const sig = envelope['sender_sig'];
  const delegations = envelope['sender_delegation'];
  let targets: Principal[] | undefined;

  if (sender.compareTo(ANONYMOUS) === 'eq') {
    if (pubkey !== undefined || sig !== undefined || delegations !== undefined) {
      throw bad('the anonymous sender must not carry a public key, signature or delegation');
    }
  } else {
    if (!(pubkey instanceof Uint8Array)) throw bad(`sender ${sender.toText()} sent no public key`);
    if (!(sig instanceof Uint8Array)) throw bad(`sender ${sender.toText()} sent no signature`);
    const { key: firstKey, principal: derived } = senderKey(pubkey);
    if (derived.compareTo(sender) !== 'eq') {
      throw new RequestRejection(
        403,
        `sender ${sender.toText()} does not match the public key, which belongs to ${derived.toText()}`,
      );
    }

    let signingKey = firstKey;
    if (delegations !== undefined) {
      if (!Array.isArray(delegations)) throw bad('sender_delegation: expected an array');
      if (delegations.length > MAX_DELEGATIONS) {
        throw bad(`sender_delegation: at most ${MAX_DELEGATIONS} delegations are allowed`);
      }
      const seen = new Set<string>([pubkey.join(',')]);
      delegations.forEach((signed, i) => {
        if (!isMap(signed) || !isMap(signed['delegation'])) {
          throw bad(`sender_delegation[${i}]: expected {delegation, signature}`);
        }
        const delegation = signed['delegation'];
        const delegatedDer = blob(delegation, 'pubkey');
        const expiration = nat(delegation, 'expiration');
        const signature = blob(signed, 'signature');
        const message = concatBytes(DELEGATION_DS, hashOfMap(delegation));
        if (!verifySignature(signingKey, message, signature)) {
          throw new RequestRejection(403, `sender_delegation[${i}]: invalid signature`);
        }
        if (expiration < nowNanos) {
          throw new RequestRejection(
            403,
            `sender_delegation[${i}]: delegation expired at ${expiration} ns (now ${nowNanos} ns)`,
          );
        }
        const key = delegatedDer.join(',');
        if (seen.has(key)) throw bad(`sender_delegation[${i}]: the chain contains a cycle`);
        seen.add(key);
        const rawTargets = delegation['targets'];
        if (rawTargets !== undefined) {
          if (!Array.isArray(rawTargets) || !rawTargets.every((t) => t instanceof Uint8Array)) {
            throw bad(`sender_delegation[${i}]: targets must be a list of principals`);
          }
          targets = intersectTargets(
            targets,
            rawTargets.map((t) => principal(t as Uint8Array, 'target')),
          );
        }
        signingKey = parseKey(delegatedDer, `sender_delegation[${i}].pubkey`);
      });
    }
    if (!verifySignature(signingKey, concatBytes(REQUEST_DS, requestId), sig)) {
      throw new RequestRejection(403, 'sender_sig: invalid signature');
    }
  }

  // Clock synchronisation reads /time anonymously before the client knows the replica's
  // clock, so anonymous queries and read_state requests are exempt from the window.
  const exempt = sender.compareTo(ANONYMOUS) === 'eq' && expectedType !== 'call';
  if (!exempt) {
    const min = nowNanos;
    const max = nowNanos + MAX_INGRESS_TTL_NANOS + PERMITTED_DRIFT_NANOS;
    if (ingressExpiry < min || ingressExpiry > max) {
      throw bad(
        `Invalid request expiry: Specified ingress_expiry not within expected range: Minimum allowed expiry: ${min}, Maximum allowed expiry: ${max}, Provided expiry: ${ingressExpiry}`,
      );
    }
  }

  const common: CommonContent = { requestId, sender, ingressExpiry, targets };
  if (expectedType === 'read_state') {
    const paths = content['paths'];
    if (
      !Array.isArray(paths) ||
      !paths.every((p) => Array.isArray(p) && p.every((l) => l instanceof Uint8Array))
    ) {
      throw bad('paths: expected a list of paths (lists of byte strings)');
    }
    return { ...common, requestType: 'read_state', paths: paths as Uint8Array[][] };
  }
  const canisterId = principal(blob(content, 'canister_id'), 'canister_id');
  if (!targetsAllow(targets, canisterId)) {
    throw new RequestRejection(
      403,
      `the delegation chain does not allow calls to canister ${canisterId.toText()}`,
    );
  }
  return {
    ...common,
    requestType: expectedType,
    canisterId,
    methodName: text(content, 'method_name'),
    arg: blob(content, 'arg'),
  };
}
