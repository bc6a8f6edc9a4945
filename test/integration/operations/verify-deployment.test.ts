import { appendFileSync, readdirSync } from 'node:fs';
import { createServer as createTcpServer, connect, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair } from '../../../crypto/index';
import { signBuiltAssets } from '../../../tools/client-build/asset-manifest';
import { verifyDeployment } from '../../../server/operations/verify-deployment';
import { startBrowserIntake, type BrowserIntake } from '../../helpers/browser-intake';

let site: BrowserIntake;
let socks: TcpServer;
let socksPort = 0;
const socksTargets: string[] = [];

/** A loopback SOCKS5 proxy (no authentication, CONNECT by host name) standing in for Tor's SocksPort. */
function startSocksProxy(): Promise<TcpServer> {
  const server = createTcpServer((client) => {
    client.once('data', () => {
      client.write(Uint8Array.of(5, 0));
      client.once('data', (request) => {
        const length = request[4]!;
        const host = request.subarray(5, 5 + length).toString();
        const port = request.readUInt16BE(5 + length);
        socksTargets.push(`${host}:${port}`);
        const upstream = connect(port, host === 'candor-test.onion' ? '127.0.0.1' : host, () => {
          client.write(Uint8Array.of(5, 0, 0, 1, 0, 0, 0, 0, 0, 0));
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  site = await startBrowserIntake();
  signBuiltAssets(join(site.intake.dataDir, 'client'), site.intake.directoryKey.secretKey);
  socks = await startSocksProxy();
  const address = socks.address();
  socksPort = typeof address === 'object' && address !== null ? address.port : 0;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => socks?.close(resolve));
  await site?.close();
});

describe('verifying a deployment against its signed asset manifest', () => {
  it('when every served file matches the manifest signed by the pinned key, then verification passes', async () => {
    const report = await verifyDeployment({ baseUrl: site.baseUrl, pinnedKeys: [site.intake.directoryKey.publicKey] });
    expect(report.problem).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.files.map((file) => file.path)).toContain('/');
    // The page's script and the chunks it loads only when a PDF is picked (the PDF cleaners): each signed and checked.
    const scripts = report.files.filter((file) => file.path.endsWith('.js')).map((file) => file.path);
    expect(scripts.length).toBeGreaterThanOrEqual(1);
    const page = await (await fetch(new URL('/', site.baseUrl))).text();
    for (const script of page.matchAll(/<script[^>]* src="([^"]+)"/g)) expect(scripts).toContain(script[1]);
  });

  it('when it goes through a SOCKS5 proxy to an onion name, then it verifies the same', async () => {
    const port = new URL(site.baseUrl).port;
    const report = await verifyDeployment({
      baseUrl: `http://candor-test.onion:${port}/`,
      pinnedKeys: [site.intake.directoryKey.publicKey],
      socksProxy: { host: '127.0.0.1', port: socksPort },
    });
    expect(report.problem).toBeUndefined();
    expect(report.files.filter((file) => !file.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(socksTargets).toContain(`candor-test.onion:${port}`);
  });

  it('when the caller pins another key, then verification fails at the manifest', async () => {
    const report = await verifyDeployment({ baseUrl: site.baseUrl, pinnedKeys: [generateDirectoryKeyPair().publicKey] });
    expect(report.ok).toBe(false);
    expect(report.problem).toContain('does not verify');
  });

  it('when a served script is changed after signing, then verification fails and names it', async () => {
    const assets = join(site.intake.dataDir, 'client', 'assets');
    const script = readdirSync(assets).find((name) => name.endsWith('.js'))!;
    appendFileSync(join(assets, script), '\n/* injected */');
    const report = await verifyDeployment({ baseUrl: site.baseUrl, pinnedKeys: [site.intake.directoryKey.publicKey] });
    expect(report.ok).toBe(false);
    expect(report.files.find((file) => !file.ok)).toEqual({ path: `/assets/${script}`, ok: false, problem: 'differs from the signed manifest' });
  });
});
