/**
 * Connecting through a SOCKS5 proxy (RFC 1928, CONNECT, no authentication) so that `verify` can reach
 * an onion service through Tor's SocksPort. The host name is passed to the proxy unresolved, as Tor
 * requires. A proxy that does not complete the connection in time fails it rather than hanging it.
 */
import type { Socket } from 'node:net';
import { SocksClient } from 'socks';

/**
 * How long reaching the proxy and its handshake may take, until the target is connected: longer
 * than Tor's own SocksTimeout (2 minutes), so that Tor, which says what failed, answers first.
 */
export const SOCKS_TIMEOUT_MS = 150_000;
/** The longest host name a SOCKS5 request can carry (its length is one byte). */
const MAX_HOST_BYTES = 255;

export interface SocksEndpoint {
  readonly host: string;
  readonly port: number;
}

/** A socket connected to `target` through the proxy, or an error within `timeoutMs`. */
export async function socks5Connect(proxy: SocksEndpoint, target: SocksEndpoint, timeoutMs = SOCKS_TIMEOUT_MS): Promise<Socket> {
  if (Buffer.byteLength(target.host, 'utf8') > MAX_HOST_BYTES) throw new Error('Host name too long for SOCKS5.');
  try {
    const { socket } = await SocksClient.createConnection({
      proxy: { host: proxy.host, port: proxy.port, type: 5 },
      command: 'connect',
      destination: { host: target.host, port: target.port },
      timeout: timeoutMs,
    });
    return socket;
  } catch (error) {
    throw new Error(`The SOCKS proxy ${proxy.host}:${proxy.port} did not connect: ${(error as Error).message}`, { cause: error });
  }
}
