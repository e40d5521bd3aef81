/**
 * Candid types of the IC HTTP gateway protocol (`http_request`, `http_request_update`,
 * streaming callbacks), as the interface specification's "HTTP Gateway protocol" defines them.
 *
 * A streaming token's type belongs to the canister (the asset canister's is a record, other
 * canisters use their own), so tokens are decoded with `IDL.Unknown`: the value keeps its wire
 * type and is sent back to the callback encoded with exactly that type.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);

export const HttpRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  certificate_version: IDL.Opt(IDL.Nat16),
});

export const HttpUpdateRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
});

const StreamingCallbackHttpResponse = IDL.Record({
  body: IDL.Vec(IDL.Nat8),
  token: IDL.Opt(IDL.Unknown),
});

/**
 * Arguments are contravariant: `empty` is a subtype of every token type, and `reserved` takes
 * any result, so the reference decodes whatever token type the canister declares.
 */
const StreamingStrategy = IDL.Variant({
  Callback: IDL.Record({
    callback: IDL.Func([IDL.Empty], [IDL.Reserved], ['query']),
    token: IDL.Unknown,
  }),
});

export const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
  streaming_strategy: IDL.Opt(StreamingStrategy),
});

/** A decoded token: its value plus the wire type it arrived with. */
export type StreamingToken = object & { type(): IDL.Type };

export interface DecodedHttpResponse {
  status_code: number;
  headers: [string, string][];
  body: Uint8Array;
  upgrade: [] | [boolean];
  streaming_strategy: [] | [{ Callback: { callback: [Principal, string]; token: StreamingToken } }];
}

export interface HttpRequestValue {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array;
  certificate_version: [] | [number];
}

export function encodeHttpRequest(request: HttpRequestValue): Uint8Array {
  return new Uint8Array(IDL.encode([HttpRequest], [request]));
}

export function encodeHttpUpdateRequest(request: HttpRequestValue): Uint8Array {
  const { method, url, headers, body } = request;
  return new Uint8Array(IDL.encode([HttpUpdateRequest], [{ method, url, headers, body }]));
}

export function decodeHttpResponse(reply: Uint8Array): DecodedHttpResponse {
  const [value] = IDL.decode([HttpResponse], reply) as unknown as [DecodedHttpResponse];
  return { ...value, body: Uint8Array.from(value.body) };
}

/** The token encoded with its own wire type, as the callback expects it. */
export function encodeToken(token: StreamingToken): Uint8Array {
  const type = token.type();
  // Primitive tokens arrive boxed (so they can carry their type); encode the primitive.
  const primitive: unknown = token.valueOf();
  const value = typeof primitive === 'object' ? token : primitive;
  return new Uint8Array(IDL.encode([type], [value]));
}

/**
 * The callback's reply. The specification says `opt StreamingCallbackHttpResponse`, the asset
 * canister replies without the `opt`; candid's opt rule decodes both at the `opt` type.
 */
export function decodeCallbackResponse(
  reply: Uint8Array,
): { body: Uint8Array; token: [] | [StreamingToken] } | undefined {
  const [value] = IDL.decode([IDL.Opt(StreamingCallbackHttpResponse)], reply) as unknown as [
    [] | [{ body: Uint8Array; token: [] | [StreamingToken] }],
  ];
  const inner = value[0];
  return inner && { body: Uint8Array.from(inner.body), token: inner.token };
}
