/**
 * The HTTP gateway protocol for canisters that have a module: the request goes to the
 * canister's `http_request` query; `upgrade = opt true` repeats it as the update
 * `http_request_update`; a streaming strategy's callback is queried until it returns no token;
 * and query responses are verified with `@dfinity/response-verification`, as the IC's HTTP
 * gateway (dfinity/http-gateway, `ic-http-gateway`) does before it answers a browser.
 *
 * One difference from the boundary nodes, on purpose: a response that carries no
 * `IC-Certificate` header at all is served (marked by `X-Localnet-Uncertified`), since a
 * canister under development often answers before it certifies anything. A response that
 * claims certification and fails verification is refused, as on the IC. Hosts
 * `<id>.raw.localhost` skip verification like `<id>.raw.icp0.io`.
 */
import { Principal } from '@dfinity/principal';
import { verifyRequestResponsePair } from '@dfinity/response-verification';
import { randomBytes } from 'node:crypto';
import { RejectCode, type CallOutcome, type Replica } from '../core/replica-api';
import type { AssetResponse } from './assets';
import {
  decodeCallbackResponse,
  decodeHttpResponse,
  encodeHttpRequest,
  encodeHttpUpdateRequest,
  encodeToken,
  type DecodedHttpResponse,
  type HttpRequestValue,
} from './http-candid';

/** The certificate may be this much older than now (the gateway's MAX_CERT_TIME_OFFSET_NS). */
const MAX_CERT_TIME_OFFSET_NANOS = 300_000_000_000n;
/** Highest response verification version the gateway asks for. */
const MAX_VERIFICATION_VERSION = 2;
/** Lowest version a response may be verified with (v1 certifies the body only). */
const MIN_VERIFICATION_VERSION = 1;
/** A localnet gateway buffers streamed bodies; bounds keep a runaway callback finite. */
const MAX_STREAMED_BYTES = 256 * 1024 * 1024;
const MAX_STREAMED_CHUNKS = 100_000;
/** Header names whose values the gateway computes itself. */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

export interface CanisterHttpContext {
  replica: Replica;
  /** DER root key the certificates are signed with. */
  rootKeyDer: () => Uint8Array;
  /** Replica time, which also dates the certificates, in nanoseconds. */
  now: () => bigint;
}

export interface GatewayRequest {
  method: string;
  /** Path and query, as the browser sent them. */
  url: string;
  /** Header names in lower case, as node:http reports them. */
  headers: [string, string][];
  body: Uint8Array;
  /** `<id>.raw.localhost`: serve without verifying, like the IC's raw domains. */
  raw: boolean;
}

function textResponse(status: number, body: string): AssetResponse {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body };
}

/** How the IC gateway reports a rejected call: destination errors are 404, the rest 502. */
function rejectResponse(outcome: Extract<CallOutcome, { kind: 'rejected' }>): AssetResponse {
  if (outcome.rejectCode === RejectCode.DestinationInvalid) {
    return textResponse(404, outcome.rejectMessage);
  }
  return textResponse(
    502,
    `Replica Error: reject code ${outcome.rejectCode}, message ${outcome.rejectMessage}, error code ${outcome.errorCode}`,
  );
}

function queryCall(
  ctx: CanisterHttpContext,
  canisterId: Principal,
  methodName: string,
  arg: Uint8Array,
): Promise<CallOutcome> {
  return ctx.replica.query({
    requestId: new Uint8Array(randomBytes(32)),
    sender: Principal.anonymous(),
    canisterId,
    effectiveCanisterId: canisterId,
    methodName,
    arg,
  });
}

async function updateCall(
  ctx: CanisterHttpContext,
  canisterId: Principal,
  arg: Uint8Array,
): Promise<CallOutcome> {
  const submitted = await ctx.replica.submitCall({
    requestId: new Uint8Array(randomBytes(32)),
    sender: Principal.anonymous(),
    canisterId,
    effectiveCanisterId: canisterId,
    methodName: 'http_request_update',
    arg,
    ingressExpiry: ctx.now() + 240_000_000_000n,
  });
  if (!submitted.accepted) return submitted.rejection;
  if (!submitted.outcome) {
    // A fresh request id cannot have run before; answer like the IC if it somehow did.
    return {
      kind: 'rejected',
      rejectCode: RejectCode.SysTransient,
      rejectMessage: 'the update was already executed',
      errorCode: 'IC0101',
    };
  }
  return submitted.outcome;
}

/** Follows the streaming callback until it returns no token; the body chunks concatenated. */
async function streamedBody(
  ctx: CanisterHttpContext,
  response: DecodedHttpResponse,
): Promise<Uint8Array | AssetResponse> {
  const strategy = response.streaming_strategy[0];
  if (!strategy) return response.body;
  const [callee, method] = strategy.Callback.callback;
  const chunks: Uint8Array[] = [response.body];
  let size = response.body.length;
  let token: typeof strategy.Callback.token | undefined = strategy.Callback.token;
  for (let n = 0; token; n++) {
    if (n >= MAX_STREAMED_CHUNKS || size > MAX_STREAMED_BYTES) {
      return textResponse(502, `streamed body exceeds ${MAX_STREAMED_BYTES} bytes`);
    }
    const outcome = await queryCall(ctx, callee, method, encodeToken(token));
    if (outcome.kind === 'rejected') return rejectResponse(outcome);
    let next;
    try {
      next = decodeCallbackResponse(outcome.reply);
    } catch (err) {
      return textResponse(502, `streaming callback reply is not valid candid: ${messageOf(err)}`);
    }
    if (!next) break;
    chunks.push(next.body);
    size += next.body.length;
    token = next.token[0];
  }
  return chunks.length === 1 ? response.body : new Uint8Array(Buffer.concat(chunks));
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) {
    return String((err as { message: unknown }).message);
  }
  return String(err);
}

function claimsCertification(headers: [string, string][]): boolean {
  return headers.some(([name]) => name.toLowerCase() === 'ic-certificate');
}

function toHeaderRecord(headers: [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase();
    if (HOP_HEADERS.has(name)) continue;
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else out[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** Calls the canister's `http_request` (and what it asks for) and answers the browser. */
export async function serveCanisterHttp(
  ctx: CanisterHttpContext,
  canisterId: Principal,
  request: GatewayRequest,
): Promise<AssetResponse> {
  const headers: [string, string][] = [];
  for (const [name, value] of request.headers) {
    if (name === 'x-request-id') continue;
    if (name === 'accept-encoding') {
      // Every canister can answer uncompressed; the IC gateway always offers it.
      const encodings = value.split(',').map((s) => s.trim());
      if (!encodings.some((e) => e.toLowerCase() === 'identity')) encodings.push('identity');
      headers.push([name, encodings.join(', ')]);
      continue;
    }
    headers.push([name, value]);
  }
  const httpRequest: HttpRequestValue = {
    method: request.method,
    url: request.url,
    headers,
    body: request.body,
    certificate_version: [MAX_VERIFICATION_VERSION],
  };

  const queried = await queryCall(ctx, canisterId, 'http_request', encodeHttpRequest(httpRequest));
  if (queried.kind === 'rejected') return rejectResponse(queried);
  let response: DecodedHttpResponse;
  try {
    response = decodeHttpResponse(queried.reply);
  } catch (err) {
    return textResponse(502, `http_request reply is not an HttpResponse: ${messageOf(err)}`);
  }

  const upgraded = response.upgrade[0] === true;
  if (upgraded) {
    const updated = await updateCall(ctx, canisterId, encodeHttpUpdateRequest(httpRequest));
    if (updated.kind === 'rejected') return rejectResponse(updated);
    try {
      response = decodeHttpResponse(updated.reply);
    } catch (err) {
      return textResponse(
        502,
        `http_request_update reply is not an HttpResponse: ${messageOf(err)}`,
      );
    }
  }

  if (response.status_code < 100 || response.status_code > 599) {
    return textResponse(400, `Failed to parse response status code: ${response.status_code}`);
  }
  const streaming = response.streaming_strategy.length > 0;
  const body = await streamedBody(ctx, response);
  if (!(body instanceof Uint8Array)) return body;

  // Update replies went through consensus; streamed bodies are not verified by the IC gateway
  // either (it would have to buffer them whole).
  const verify = !upgraded && !streaming && !request.raw;
  if (!verify)
    return { status: response.status_code, headers: toHeaderRecord(response.headers), body };
  if (!claimsCertification(response.headers)) {
    return {
      status: response.status_code,
      headers: {
        ...toHeaderRecord(response.headers),
        'x-localnet-uncertified':
          'this response carries no IC-Certificate; the IC gateway refuses it on <id>.icp0.io and serves it on <id>.raw.icp0.io',
      },
      body,
    };
  }

  let info;
  try {
    info = verifyRequestResponsePair(
      {
        url: httpRequest.url,
        method: httpRequest.method,
        headers: httpRequest.headers,
        body: httpRequest.body,
        certificate_version: httpRequest.certificate_version,
      },
      { status_code: response.status_code, headers: response.headers, body },
      canisterId.toUint8Array(),
      ctx.now(),
      MAX_CERT_TIME_OFFSET_NANOS,
      ctx.rootKeyDer(),
      MIN_VERIFICATION_VERSION,
    );
  } catch (err) {
    return textResponse(503, `Response verification failed: ${messageOf(err)}`);
  }
  if (info.verificationVersion < 2) {
    // Version 1 certifies the body only: status and headers could be anything.
    if (response.status_code >= 300 && response.status_code < 400) {
      return textResponse(503, 'Response verification v1 does not allow redirects');
    }
    const kept = response.headers.filter(([name]) => name.toLowerCase() !== 'cache-control');
    return { status: response.status_code, headers: toHeaderRecord(kept), body };
  }
  // Version 2: only certified headers pass, unless the canister certified that it skips.
  const certified = info.response;
  return {
    status: response.status_code,
    headers: toHeaderRecord(certified ? certified.headers : response.headers),
    body,
  };
}
