/**
 * The HTTP server around each app, with the limits no route can set: how many connections it holds,
 * and how long a request may take to arrive. Without them a few hundred connections that send a
 * byte a minute hold the process's memory and sockets (issue 13).
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerLimits {
  readonly connections: number;
  readonly requestSeconds: number;
}

/** Headers come first and are small; they get at most this long, or the whole request time if shorter. */
const HEADERS_TIMEOUT_MS = 30_000;

export function createLimitedServer(app: RequestListener, limits: ServerLimits): Server {
  const requestTimeout = limits.requestSeconds * 1000;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
      // How often Node looks for requests past their time; by default only every 30 s.
      connectionsCheckingInterval: Math.min(5000, requestTimeout),
    },
    app,
  );
  // A connection past the cap is closed at once: memory stays bounded, and holding every slot takes
  // that many busy Tor streams, which tor limits per circuit (config/torrc.template).
  server.maxConnections = limits.connections;
  return server;
}
