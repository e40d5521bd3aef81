/**
 * Builds request envelopes exactly as the agent does (its identities sign, its CBOR encoder
 * encodes), then decodes them the way localnet receives them.
 */
import { Cbor, type SignIdentity } from '@dfinity/agent';
import { decode } from '@dfinity/cbor';
import { Principal } from '@dfinity/principal';

export const NOW_NANOS = BigInt(Date.now()) * 1_000_000n;
export const CANISTER = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
export const OTHER_CANISTER = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');

export function callContent(
  sender: Principal,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    request_type: 'call',
    canister_id: CANISTER,
    method_name: 'echo',
    arg: new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0, 0]),
    sender,
    ingress_expiry: NOW_NANOS + 4n * 60n * 1_000_000_000n,
    nonce: new Uint8Array([1, 2, 3, 4]),
    ...overrides,
  };
}

export async function signedEnvelope(
  identity: SignIdentity,
  content: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const transformed = (await identity.transformRequest({
    endpoint: 'call',
    request: { method: 'POST', headers: {} },
    body: content,
  } as never)) as { body: unknown };
  return decode(Cbor.encode(transformed.body)) as Record<string, unknown>;
}

export function wire(value: unknown): Record<string, unknown> {
  return decode(Cbor.encode(value)) as Record<string, unknown>;
}
