/**
 * A minimal SOCKS5 client (RFC 1928, CONNECT, no authentication) so that `verify` can reach an onion
 * service through Tor's SocksPort. The host name is passed to the proxy unresolved, as Tor requires.
 */
import { connect, type Socket } from 'node:net';

/** Reads `length` bytes of the handshake; the socket is left paused, with any surplus put back. */
function readExactly(socket: Socket, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < length) return;
      // Paused before anything is put back: in flowing mode the surplus would be emitted to no one.
      socket.pause();
      socket.off('data', onData);
      socket.off('error', reject);
      if (buffered.length > length) socket.unshift(buffered.subarray(length));
      resolve(buffered.subarray(0, length));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.resume();
  });
}

export async function socks5Connect(proxy: { host: string; port: number }, target: { host: string; port: number }): Promise<Socket> {
  const socket = connect(proxy.port, proxy.host);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(Uint8Array.of(5, 1, 0));
  const greeting = await readExactly(socket, 2);
  if (greeting[0] !== 5 || greeting[1] !== 0) throw new Error('The SOCKS proxy refused the connection method.');
  const host = Buffer.from(target.host, 'utf8');
  if (host.length > 255) throw new Error('Host name too long for SOCKS5.');
  socket.write(Buffer.concat([Uint8Array.of(5, 1, 0, 3, host.length), host, Uint8Array.of(target.port >> 8, target.port & 0xff)]));
  const reply = await readExactly(socket, 4);
  if (reply[1] !== 0) throw new Error(`The SOCKS proxy could not connect (reply ${reply[1]}).`);
  const addressLength = reply[3] === 1 ? 4 : reply[3] === 4 ? 16 : ((await readExactly(socket, 1))[0] ?? 0);
  await readExactly(socket, addressLength + 2);
  // Back to flowing for the HTTP client, which attaches its listener without resuming. Nothing is
  // lost: over HTTP the server says nothing before the request is written.
  socket.resume();
  return socket;
}
