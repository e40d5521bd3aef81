/**
 * An HTTP request to a local server with a Host header of the test's choosing (node:http:
 * fetch does not let a test choose it), as a browser sends for `<canister>.localhost`: the
 * gateway routes by that name while the connection goes to 127.0.0.1. No JavaScript runs on
 * what comes back, as with a link preview's crawler.
 */
import { request } from 'node:http';

export type HttpReply = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

export function httpRequest(options: {
  port: number | string;
  path: string;
  headers?: Record<string, string>;
  method?: string;
  body?: string;
}): Promise<HttpReply> {
  const { port, path, headers = {}, method = 'GET', body } = options;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** GET `url` (e.g. `http://<canister>.localhost:4943/path`) through 127.0.0.1. */
export function getUrl(url: string): Promise<HttpReply> {
  const target = new URL(url);
  return httpRequest({
    port: target.port,
    path: `${target.pathname}${target.search}`,
    headers: { host: target.host },
  });
}
