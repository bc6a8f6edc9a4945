/**
 * `verify`: fetches a running deployment's page, its assets and its signed asset manifest (directly
 * or through a SOCKS proxy such as Tor), and checks every byte against the manifest signed by a key
 * the caller pins. This is the check WEBCAT automates in the browser (docs/protocol.md §15).
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { verifyAssetManifest, type AssetManifest } from '../../crypto/index';
import { socks5Connect } from './socks5';

export interface FileCheck {
  readonly path: string;
  readonly ok: boolean;
  readonly problem?: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly manifest: AssetManifest | null;
  readonly files: readonly FileCheck[];
  readonly problem?: string;
}

export interface VerifyOptions {
  readonly baseUrl: string;
  readonly pinnedKeys: readonly string[];
  readonly socksProxy?: { host: string; port: number };
  /** How long the SOCKS proxy may take to connect each request (SOCKS_TIMEOUT_MS unless a test shortens it). */
  readonly socksTimeoutMs?: number;
}

const MAX_BYTES = 16 * 1024 * 1024;

async function fetchBytes(url: URL, options: VerifyOptions): Promise<Buffer> {
  const proxy = options.socksProxy;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'GET',
      headers: { Accept: '*/*' },
      ...(proxy === undefined
        ? {}
        : // Without an agent option, Node asks createConnection for the socket, which may answer through the callback.
          { createConnection: (_opts: unknown, callback: (error: Error | null, socket: never) => void) => {
            socks5Connect(proxy, { host: url.hostname, port: Number(url.port || 80) }, options.socksTimeoutMs).then(
              (socket) => callback(null, socket as never),
              (error: Error) => callback(error, undefined as never),
            );
            return undefined;
          } }),
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
  if (response.statusCode !== 200) {
    response.resume();
    throw new Error(`HTTP ${response.statusCode}`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of response) {
    size += (part as Buffer).length;
    if (size > MAX_BYTES) throw new Error('larger than any served file should be');
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts);
}

const sha = (algorithm: 'sha256' | 'sha384', bytes: Buffer, encoding: 'hex' | 'base64') => createHash(algorithm).update(bytes).digest(encoding);

/** The SRI hashes the page declares, by asset path. */
function declaredIntegrity(page: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const tag of page.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    const integrity = /\bintegrity="([^"]+)"/.exec(tag)?.[1];
    if (url !== undefined && integrity !== undefined) found.set(url, integrity);
  }
  return found;
}

export async function verifyDeployment(options: VerifyOptions): Promise<VerifyReport> {
  const base = new URL(options.baseUrl);
  let manifest: AssetManifest;
  try {
    manifest = verifyAssetManifest(JSON.parse((await fetchBytes(new URL('/asset-manifest.json', base), options)).toString('utf8')), { pinnedKeys: options.pinnedKeys });
  } catch (error) {
    return { ok: false, manifest: null, files: [], problem: `the signed manifest does not verify: ${(error as Error).message}` };
  }
  const files: FileCheck[] = [];
  let integrity = new Map<string, string>();
  for (const entry of manifest.files) {
    try {
      const bytes = await fetchBytes(new URL(entry.path, base), options);
      if (entry.path === '/') integrity = declaredIntegrity(bytes.toString('utf8'));
      const declared = integrity.get(entry.path);
      if (sha('sha256', bytes, 'hex') !== entry.sha256) files.push({ path: entry.path, ok: false, problem: 'differs from the signed manifest' });
      else if (declared !== undefined && declared !== `sha384-${sha('sha384', bytes, 'base64')}`) files.push({ path: entry.path, ok: false, problem: 'its SRI hash in the page does not match' });
      else files.push({ path: entry.path, ok: true });
    } catch (error) {
      files.push({ path: entry.path, ok: false, problem: `could not be fetched (${(error as Error).message})` });
    }
  }
  const unlisted = [...integrity.keys()].filter((path) => !manifest.files.some((entry) => entry.path === path));
  for (const path of unlisted) files.push({ path, ok: false, problem: 'the page loads it, but the manifest does not list it' });
  return { ok: files.every((file) => file.ok), manifest, files };
}
