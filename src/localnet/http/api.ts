/**
 * The IC HTTP interface endpoints under `/api/`: status, call (v2 asynchronous, v3/v4
 * synchronous), query and read_state. Each handler turns an authenticated envelope into a
 * call on the `Replica` seam and the outcome into the CBOR body the agent expects.
 *
 * Status codes other than 200/202 are reserved for transport-level refusals (malformed or
 * unauthenticated requests, expiry, size): the agent retries those, so a canister's reject is
 * always a 200 with a reject body.
 */
import { Principal } from '@dfinity/principal';
import { bytesToHex } from '@noble/hashes/utils';
import type { IngressMessage, Replica, RequestStatus, SubmitResult } from '../core/replica-api';
import {
  authenticate,
  RequestRejection,
  targetsAllow,
  type AuthenticatedRequest,
} from '../auth/authenticate';
import type { Certifier } from '../certification/certifier';
import { CertificateBatcher } from '../certification/certificate-batcher';
import { decodeBody, encodeBody } from './cbor';

export interface ApiResponse {
  status: number;
  /** CBOR for 200 responses, plain text for transport errors, empty for 202/404 etc. */
  body: Uint8Array | string;
}

const decoder = new TextDecoder();

function cbor(value: unknown): ApiResponse {
  return { status: 200, body: encodeBody(value) };
}

function isManagement(p: Principal): boolean {
  return p.toUint8Array().length === 0;
}

/** Ids parsed from request URLs; a network serves a handful of canisters, so it stays small. */
const parsedIds = new Map<string, Principal>();

function parseCanisterId(text: string): Principal {
  const known = parsedIds.get(text);
  if (known) return known;
  let id: Principal;
  try {
    id = Principal.fromText(text);
  } catch {
    throw new RequestRejection(400, `invalid effective canister id "${text}"`);
  }
  if (parsedIds.size >= 1024) parsedIds.clear();
  parsedIds.set(text, id);
  return id;
}

interface TrackedCall {
  sender: Principal;
  ingressExpiry: bigint;
  submitted: Promise<SubmitResult>;
}

export class IcHttpApi {
  /**
   * Calls submitted through this interface, for two rules the replica seam does not cover:
   * only the original sender may read a request's status, and a resubmitted request (same
   * id) is not executed twice. Entries are dropped once their ingress expiry has passed.
   */
  readonly #calls = new Map<string, TrackedCall>();
  readonly #certificates: CertificateBatcher;

  constructor(
    readonly replica: Replica,
    readonly certifier: Certifier,
    readonly implVersion = 'roadmap-commons-localnet',
  ) {
    this.#certificates = new CertificateBatcher(certifier, () => this.#now());
  }

  status(): ApiResponse {
    return cbor({
      root_key: this.certifier.rootKeyDer,
      impl_version: this.implVersion,
      replica_health_status: 'healthy',
      certified_height: 0,
    });
  }

  /** Routes `/api/...`; returns undefined for paths this interface does not serve. */
  async route(
    method: string,
    pathname: string,
    body: Uint8Array,
  ): Promise<ApiResponse | undefined> {
    if (method === 'GET' && pathname === '/api/v2/status') return this.status();
    if (method !== 'POST') return undefined;
    const canister = /^\/api\/(v2|v3|v4)\/canister\/([^/]+)\/(call|query|read_state)$/.exec(
      pathname,
    );
    if (canister) {
      const [, version, ecidText, kind] = canister as unknown as [string, string, string, string];
      if (kind === 'call') {
        return this.#guard(() => this.call(version as 'v2' | 'v3' | 'v4', ecidText, body));
      }
      if (version === 'v4') return undefined;
      if (kind === 'query') return this.#guard(() => this.query(ecidText, body));
      return this.#guard(() => this.readState({ canister: ecidText }, body));
    }
    const subnet = /^\/api\/v3\/subnet\/([^/]+)\/read_state$/.exec(pathname);
    if (subnet) return this.#guard(() => this.readState({ subnet: subnet[1] as string }, body));
    return undefined;
  }

  async #guard(handler: () => Promise<ApiResponse>): Promise<ApiResponse> {
    try {
      return await handler();
    } catch (e) {
      if (e instanceof RequestRejection) return { status: e.httpStatus, body: e.message };
      throw e;
    }
  }

  #now(): bigint {
    return this.replica.timeNanos();
  }

  #lastSweep = 0n;

  #forgetExpired(): void {
    const now = this.#now();
    // One pass per second rather than per call: the map holds every call of the last five
    // minutes (90,000 at 300 updates/s). Until its pass, an expired call stays guarded.
    if (now - this.#lastSweep < 1_000_000_000n) return;
    this.#lastSweep = now;
    for (const [key, call] of this.#calls) {
      if (call.ingressExpiry < now) this.#calls.delete(key);
    }
  }

  #checkEffectiveCanister(req: { canisterId: Principal }, ecid: Principal): void {
    // A management call names the canister it is about in the URL; any other call must be
    // addressed to the canister in the URL (interface spec, "Effective canister id").
    if (!isManagement(req.canisterId) && req.canisterId.compareTo(ecid) !== 'eq') {
      throw new RequestRejection(
        400,
        `canister_id ${req.canisterId.toText()} does not match the effective canister id ${ecid.toText()} in the URL`,
      );
    }
  }

  #message(
    req: Extract<AuthenticatedRequest, { requestType: 'call' | 'query' }>,
    ecid: Principal,
  ): IngressMessage {
    return {
      requestId: req.requestId,
      sender: req.sender,
      canisterId: req.canisterId,
      effectiveCanisterId: isManagement(req.canisterId) ? ecid : req.canisterId,
      methodName: req.methodName,
      arg: req.arg,
      ingressExpiry: req.ingressExpiry,
    };
  }

  async call(version: 'v2' | 'v3' | 'v4', ecidText: string, body: Uint8Array) {
    const ecid = parseCanisterId(ecidText);
    const req = authenticate(decodeBody(body), 'call', this.#now());
    if (req.requestType !== 'call') throw new Error('unreachable');
    this.#checkEffectiveCanister(req, ecid);
    this.#forgetExpired();

    const key = bytesToHex(req.requestId);
    let tracked = this.#calls.get(key);
    if (!tracked) {
      const submitted = this.replica.submitCall(this.#message(req, ecid));
      tracked = { sender: req.sender, ingressExpiry: req.ingressExpiry, submitted };
      this.#calls.set(key, tracked);
      // A request that was not executed may be submitted again.
      submitted.then(
        (r) => (r.accepted ? undefined : this.#calls.delete(key)),
        () => this.#calls.delete(key),
      );
    }
    // A duplicate of a request still being submitted shares the original's fate.
    const submitted = await tracked.submitted;
    if (!submitted.accepted) {
      const { rejectCode, rejectMessage, errorCode } = submitted.rejection;
      const rejection = {
        reject_code: rejectCode,
        reject_message: rejectMessage,
        error_code: errorCode,
      };
      return cbor(
        version === 'v2' ? rejection : { status: 'non_replicated_rejection', ...rejection },
      );
    }
    if (version === 'v2') return { status: 202, body: new Uint8Array(0) };
    // Executed before (e.g. replayed after a restart): certify `done`, as the IC does once it
    // no longer holds the reply; the request is not executed again.
    const outcome = submitted.outcome ? await submitted.outcome : undefined;
    const status: RequestStatus = outcome
      ? { status: outcome.kind, outcome, finishedAtNanos: this.#now() }
      : { status: 'done' };
    const certificate = await this.#certificates.certifyStatus(req.requestId, status);
    return cbor({ status: 'replied', certificate });
  }

  async query(ecidText: string, body: Uint8Array) {
    const ecid = parseCanisterId(ecidText);
    const req = authenticate(decodeBody(body), 'query', this.#now());
    if (req.requestType !== 'query') throw new Error('unreachable');
    this.#checkEffectiveCanister(req, ecid);
    const outcome = await this.replica.query(this.#message(req, ecid));
    if (outcome.kind === 'replied') {
      const fields = { status: 'replied' as const, reply: { arg: outcome.reply } };
      return cbor({
        ...fields,
        signatures: [this.certifier.signQueryResponse(fields, req.requestId)],
      });
    }
    const fields = {
      status: 'rejected' as const,
      reject_code: outcome.rejectCode as number,
      reject_message: outcome.rejectMessage,
      error_code: outcome.errorCode,
    };
    return cbor({
      ...fields,
      signatures: [this.certifier.signQueryResponse(fields, req.requestId)],
    });
  }

  async readState(target: { canister: string } | { subnet: string }, body: Uint8Array) {
    const ecid = 'canister' in target ? parseCanisterId(target.canister) : undefined;
    if ('subnet' in target && target.subnet !== this.certifier.subnetId.toText()) {
      throw new RequestRejection(400, `unknown subnet ${target.subnet}`);
    }
    const req = authenticate(decodeBody(body), 'read_state', this.#now());
    if (req.requestType !== 'read_state') throw new Error('unreachable');

    // What the paths reveal is read when the certificate's state tree is built (see
    // CertificateBatcher); the checks that may refuse the request run now.
    const canisterIds: Principal[] = [];
    const requestIds: Uint8Array[] = [];
    for (const path of req.paths) {
      const head = path[0] ? decoder.decode(path[0]) : '';
      if (path.length === 0) throw new RequestRejection(400, 'read_state: empty path');
      if (ecid === undefined && head !== 'time' && head !== 'subnet') {
        throw new RequestRejection(
          403,
          `read_state on a subnet may only request /time and /subnet, not /${head}`,
        );
      }
      switch (head) {
        case 'time':
        case 'subnet':
          break;
        case 'canister': {
          const idBytes = path[1];
          if (!idBytes) break;
          const id = Principal.fromUint8Array(idBytes);
          if (ecid && id.compareTo(ecid) !== 'eq') {
            throw new RequestRejection(
              403,
              `read_state: path /canister/${id.toText()} does not match the effective canister id ${ecid.toText()}`,
            );
          }
          if (!targetsAllow(req.targets, id)) {
            throw new RequestRejection(
              403,
              `the delegation chain does not allow reading canister ${id.toText()}`,
            );
          }
          const info = this.replica.canister(id);
          if (!info) break;
          canisterIds.push(id);
          if (path[2] && decoder.decode(path[2]) === 'metadata' && path[3]) {
            const section = info.metadata.get(decoder.decode(path[3]));
            const isController = info.controllers.some((c) => c.compareTo(req.sender) === 'eq');
            if (section?.visibility === 'private' && !isController) {
              throw new RequestRejection(
                403,
                `read_state: metadata section ${decoder.decode(path[3])} of ${id.toText()} is private to its controllers`,
              );
            }
          }
          break;
        }
        case 'request_status': {
          const rid = path[1];
          if (!rid) break;
          const tracked = this.#calls.get(bytesToHex(rid));
          if (tracked && tracked.sender.compareTo(req.sender) !== 'eq') {
            throw new RequestRejection(
              403,
              'read_state: only the sender of a request may read its status',
            );
          }
          requestIds.push(rid);
          break;
        }
        default:
          throw new RequestRejection(404, `read_state: /${head} is not a readable path`);
      }
    }

    const certificate = await this.#certificates.certify({
      paths: req.paths,
      gather: (into) => {
        for (const id of canisterIds) {
          const info = this.replica.canister(id);
          if (info) into.canisters.set(id.toText(), info);
        }
        for (const rid of requestIds) {
          const status = this.replica.requestStatus(rid);
          if (status) into.requestStatuses.set(bytesToHex(rid), [rid, status]);
        }
      },
    });
    return cbor({ certificate });
  }
}
