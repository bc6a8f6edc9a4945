/** Listening on a free loopback port and closing again, for test servers that wrap an app. */
import type { Server } from 'node:http';

/** Listens on 127.0.0.1 at a port the system picks, and resolves to that port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

/** Closes the server without waiting for browsers' kept-alive connections to time out. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
