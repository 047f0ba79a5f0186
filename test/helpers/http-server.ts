import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface TestServer {
  origin: string;
  url(path: string): string;
  /** Every request received, in order (for conditional-GET assertions). */
  requests: RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server on 127.0.0.1 (or another loopback address, `host`), port 0 (or `port`),
 * serving a table of routes. Unknown paths answer 404. `close` also destroys open
 * sockets, so a route that never answers (a hanging server) does not keep the test alive.
 */
export async function startServer(routes: Record<string, RouteHandler>, host = '127.0.0.1', port = 0): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = routes[path.split('?')[0]!];
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => origin + path,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A route answering `body` with `headers`, honouring If-None-Match / If-Modified-Since when those headers give validators. */
export function serveFeed(body: string | Buffer, headers: Record<string, string>): RouteHandler {
  return (req, res) => {
    const etag = headers['etag'];
    const lastModified = headers['last-modified'];
    if ((etag && req.headers['if-none-match'] === etag) || (lastModified && req.headers['if-modified-since'] === lastModified)) {
      res.writeHead(304, { ...(etag ? { etag } : {}), ...(lastModified ? { 'last-modified': lastModified } : {}) }).end();
      return;
    }
    res.writeHead(200, headers).end(body);
  };
}

export function redirectTo(location: string, status = 302): RouteHandler {
  return (_req, res) => res.writeHead(status, { location }).end();
}
