/**
 * Serves the built intake client: hashed assets cached forever, the page itself never cached (so a
 * new build with new SRI hashes reaches everyone at once). Nothing but GET and HEAD.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router } from 'express';
import { SIGNED_MANIFEST_FILE } from '../../tools/client-build/asset-manifest';

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not available</title></head>
<body><h1>The intake page is not available</h1><p>The site is being set up. Please come back later.</p></body></html>`;

export function staticClient(clientDir: string): Router {
  const root = resolve(clientDir);
  const router = Router();
  router.use('/assets', express.static(join(root, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false, dotfiles: 'deny' }));
  // Browsers ask for it unprompted; an empty answer keeps their consoles free of 404s.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  // The signed list of what this site serves, for anyone who wants to check it (docs/protocol.md §15).
  router.get('/asset-manifest.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const signed = join(root, SIGNED_MANIFEST_FILE);
    if (existsSync(signed)) res.type('json').sendFile(signed);
    else res.status(404).json({ error: { code: 'not-found', message: 'This deployment has not published a signed manifest.' } });
  });
  router.get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const page = join(root, 'index.html');
    if (existsSync(page)) res.sendFile(page);
    else res.status(503).type('html').send(NOT_BUILT_PAGE);
  });
  return router;
}
