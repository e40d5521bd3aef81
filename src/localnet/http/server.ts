/**
 * Localnet's single HTTP server (node:http): the IC HTTP interface under `/api/` and the
 * gateway (asset canisters, the Internet Identity stand-in) for everything else.
 *
 * Every response carries CORS headers because the agent in a dapp page on
 * `<id>.localhost:<port>` talks to the API cross-origin with `application/cbor`, which forces
 * a preflight.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Replica } from '../core/replica-api';
import { createCertifier, type Certifier } from '../certification/certifier';
import { Gateway } from '../gateway/gateway';
import { IcHttpApi, type ApiResponse } from './api';
import { topology } from './topology';

/** The IC accepts request bodies up to about 3.5 MiB (2 MiB argument plus envelope). */
export const MAX_REQUEST_BYTES = Math.floor(3.5 * 1024 * 1024);

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
} as const;

export interface LocalnetServerOptions {
  replica: Replica;
  /** Holds `keys.json` and the stand-in's bundle cache. */
  stateDir: string;
  /** Default 4943; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Pass one when the replica was built with `certifier.dataCertificate`; else one is loaded. */
  certifier?: Certifier;
  /** Serve the Internet Identity stand-in (default true). */
  internetIdentity?: boolean;
  /** Transport-level problems (refused requests, handler crashes), one line each. */
  log?: (line: string) => void;
}

export interface LocalnetServer {
  /** e.g. `http://127.0.0.1:4943` */
  url: string;
  port: number;
  host: string;
  certifier: Certifier;
  gateway: Gateway;
  api: IcHttpApi;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/**
 * Past this a body is not drained any more: the connection is closed after the 413. Below it,
 * an oversized body is read to its end before the 413 goes out, because a server that answers
 * and closes while the client is still writing makes Node's fetch (hence @dfinity/agent)
 * report EPIPE instead of the status.
 */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolvePromise, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > MAX_REQUEST_BYTES;
    let settled = false;
    const refuse = (): void => {
      if (settled) return;
      settled = true;
      reject(new BodyTooLarge());
    };
    if (declared > MAX_DRAINED_BYTES) {
      req.resume();
      refuse();
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (size > MAX_DRAINED_BYTES) {
        refuse();
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      if (tooLarge) {
        refuse();
        return;
      }
      settled = true;
      const buf = Buffer.concat(chunks);
      resolvePromise(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
  });
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: Uint8Array | string,
  head = false,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  // A canister's own CORS headers (in any case) replace the defaults rather than doubling them.
  const names = new Set(Object.keys(headers).map((n) => n.toLowerCase()));
  const cors = Object.fromEntries(
    Object.entries(CORS_HEADERS).filter(([name]) => !names.has(name.toLowerCase())),
  );
  res.writeHead(status, { ...cors, ...headers, 'Content-Length': String(bytes.length) });
  res.end(head ? undefined : bytes);
}

/** API responses: CORS plus the content type, merged once rather than for every response. */
const CBOR_API_HEADERS = { ...CORS_HEADERS, 'Content-Type': 'application/cbor' } as const;
const TEXT_API_HEADERS = { ...CORS_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } as const;

function sendApi(res: ServerResponse, response: ApiResponse): void {
  const bytes = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
  const headers =
    typeof response.body === 'string'
      ? TEXT_API_HEADERS
      : bytes.length > 0
        ? CBOR_API_HEADERS
        : CORS_HEADERS;
  res.writeHead(response.status, { ...headers, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

export async function startLocalnetServer(options: LocalnetServerOptions): Promise<LocalnetServer> {
  const { replica, stateDir } = options;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const certifier = options.certifier ?? createCertifier(stateDir);
  certifier.setClock(() => replica.timeNanos());
  const api = new IcHttpApi(replica, certifier);
  const gateway = new Gateway({
    stateDir,
    internetIdentity: options.internetIdentity,
    canisterHttp: {
      replica,
      rootKeyDer: () => certifier.rootKeyDer,
      now: () => certifier.now(),
    },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (method === 'OPTIONS') {
      send(res, 204, {}, '');
      return;
    }
    if (url.pathname === '/_/topology' && (method === 'GET' || method === 'HEAD')) {
      const json = JSON.stringify(topology(certifier.subnetId));
      send(res, 200, { 'Content-Type': 'application/json' }, json, method === 'HEAD');
      return;
    }
    const isApi = url.pathname.startsWith('/api/');
    let body: Uint8Array;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        log(`${method} ${url.pathname}: body over ${MAX_REQUEST_BYTES} bytes refused`);
        // The body has been read (up to MAX_DRAINED_BYTES), so the connection stays usable.
        const drained = req.readableEnded;
        send(
          res,
          413,
          {
            'Content-Type': 'text/plain; charset=utf-8',
            ...(drained ? {} : { Connection: 'close' }),
          },
          `request body exceeds the limit of ${MAX_REQUEST_BYTES} bytes`,
        );
        return;
      }
      throw e;
    }
    if (!isApi) {
      await serveGateway(req, res, url, body);
      return;
    }
    const response = await api.route(method, url.pathname, body);
    if (!response) {
      send(res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'not found');
      return;
    }
    if (response.status >= 400)
      log(`${method} ${url.pathname}: ${response.status} ${String(response.body)}`);
    sendApi(res, response);
  };

  const serveGateway = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Uint8Array,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    const asset = await gateway.handle(req, url, body);
    if (!asset) {
      send(
        res,
        404,
        { 'Content-Type': 'text/plain; charset=utf-8' },
        'not found: address a canister as http://<canister-id>.localhost:<port>/ or with ?canisterId=<canister-id>',
      );
      return;
    }
    send(res, asset.status, asset.headers, asset.body, method === 'HEAD');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      log(`${req.method} ${req.url}: internal error: ${message}`);
      if (!res.headersSent) {
        send(
          res,
          500,
          { 'Content-Type': 'text/plain; charset=utf-8' },
          `internal error: ${message}`,
        );
      } else {
        res.destroy();
      }
    });
  });
  // Agents keep connections alive between polls; don't let idle sockets hold close() up.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4943, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Warm the stand-in bundle so the first sign-in is not slowed down by esbuild.
  gateway.standIn?.bundle().catch((e: unknown) => {
    log(`Internet Identity stand-in could not be bundled: ${(e as Error).message}`);
  });

  return {
    url: `http://${host}:${port}`,
    port,
    host,
    certifier,
    gateway,
    api,
    close: async () => {
      await new Promise<void>((resolvePromise, reject) => {
        server.close((err) => (err ? reject(err) : resolvePromise()));
        server.closeAllConnections();
      });
      // The signing worker restarts on demand, so a certifier shared with others stays usable.
      await certifier.close();
    },
  };
}
