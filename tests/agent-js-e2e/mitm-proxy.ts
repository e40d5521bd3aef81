/**
 * A stand-in for the man in the middle of agent-js's mitm workflow (.github/workflows/mitm.yml):
 *
 *   mitmdump -p 8888 --mode reverse:http://localhost:4943 \
 *     --modify-headers '/~s/Transfer-Encoding/' --modify-body '/~s/Hello/Hullo'
 *
 * A reverse proxy that drops `Transfer-Encoding` from responses and replaces every `Hello` in
 * response bodies with `Hullo`. basic/mitm.test.ts then expects the agent to reject the
 * tampered certificate of an update and the tampered query signature, and to accept the
 * tampered query when query signatures are not verified.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const HELLO = Buffer.from('Hello');
const HULLO = Buffer.from('Hullo');

function tamper(body: Buffer): Buffer {
  const out = Buffer.from(body);
  for (let at = out.indexOf(HELLO); at !== -1; at = out.indexOf(HELLO, at + HELLO.length)) {
    HULLO.copy(out, at);
  }
  return out;
}

export interface MitmProxy {
  url: string;
  close(): Promise<void>;
}

export async function startMitmProxy(
  target: string,
  port: number,
  host = '127.0.0.1',
): Promise<MitmProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = tamper(Buffer.concat(chunks));
          const headers = { ...answer.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(body.length);
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    forward.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`mitm proxy: ${error.message}`);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
