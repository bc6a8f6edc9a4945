/**
 * The manifest of what the intake serves: every file of the client build with its SHA-256, written
 * after each build, and signed by the body's directory key (by `npm start` for the demo, by the
 * admin's tool otherwise). The intake serves the signed copy at /asset-manifest.json.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signAssetManifest, type AssetManifest, type Base64Url } from '../../crypto/index';

export const MANIFEST_FILE = 'asset-manifest.json';
export const SIGNED_MANIFEST_FILE = 'asset-manifest.signed.json';

/** Served path of each built file: the page is `/`, assets keep their hashed names. */
export function servedFiles(clientDir: string): { path: string; file: string }[] {
  const assets = readdirSync(join(clientDir, 'assets')).sort();
  return [{ path: '/', file: join(clientDir, 'index.html') }, ...assets.map((name) => ({ path: `/assets/${name}`, file: join(clientDir, 'assets', name) }))];
}

export function writeAssetManifest(clientDir: string, builtOn: string): AssetManifest {
  const manifest: AssetManifest = {
    format: 'candor-asset-manifest',
    version: 1,
    builtOn,
    files: servedFiles(clientDir).map(({ path, file }) => ({ path, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') })),
  };
  writeFileSync(join(clientDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function signBuiltAssets(clientDir: string, secretKey: Base64Url): void {
  const manifest = JSON.parse(readFileSync(join(clientDir, MANIFEST_FILE), 'utf8')) as AssetManifest;
  writeFileSync(join(clientDir, SIGNED_MANIFEST_FILE), `${JSON.stringify(signAssetManifest(manifest, secretKey), null, 2)}\n`);
}
