/** `verify --socks` against a proxy that stops answering: it must fail within its timeout, never hang. */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair } from '../../../crypto/index';
import { verifyDeployment } from '../../../server/operations/verify-deployment';

/** Short, so the test waits for the failure itself rather than for the production timeout. */
const TIMEOUT_MS = 100;

interface SilentProxy {
  readonly server: Server;
  readonly port: number;
  /** The proxy's side of the first connection, once it arrives. */
  readonly connection: Promise<Socket>;
}

/** A loopback "SOCKS5 proxy" that accepts and reads, answers the greeting if told to, and then says nothing. */
async function startSilentProxy(answersGreeting: boolean): Promise<SilentProxy> {
  const server = createServer((socket) => {
    let greeted = false;
    socket.on('data', () => {
      if (answersGreeting && !greeted) socket.write(Uint8Array.of(5, 0));
      greeted = true;
    });
  });
  const connection = once(server, 'connection').then(([socket]) => socket as Socket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0, connection };
}

let proxy: SilentProxy | undefined;

afterEach(async () => {
  proxy?.server.close();
  if (proxy !== undefined) await once(proxy.server, 'close');
  proxy = undefined;
});

describe('verifying through a SOCKS proxy that stops answering', () => {
  it.each([
    ['accepts the connection and then says nothing', false],
    ['answers the greeting and then never the connect request', true],
  ])('when the proxy %s, then verify fails with a timeout and lets the connection go', async (_case, answersGreeting) => {
    const silent = await startSilentProxy(answersGreeting);
    proxy = silent;
    const report = await verifyDeployment({
      baseUrl: 'http://candor-test.onion/',
      pinnedKeys: [generateDirectoryKeyPair().publicKey],
      socksProxy: { host: '127.0.0.1', port: silent.port },
      socksTimeoutMs: TIMEOUT_MS,
    });
    expect(report.ok).toBe(false);
    expect(report.manifest).toBeNull();
    expect(report.problem).toMatch(/SOCKS proxy 127\.0\.0\.1:\d+ did not connect: .*timed out/);
    // The proxy sees its connection closed: verify gave up on it rather than leaving it open.
    const connection = await silent.connection;
    if (!connection.closed) await once(connection, 'close');
  });
});
