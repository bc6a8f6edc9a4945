/**
 * A benchmark page (the browser suite's, test/bench/browser/, unless another is named) built with
 * Vite into a temporary directory and served from loopback by a bare static file server, under the
 * intake's Content Security Policy so that the crypto core runs with no more than it has in a browser.
 * It may also serve files as they are (a library's own build) and hand /api/ to an intake app, so that
 * the page reaches the intake from its own origin, as the intake's client does.
 */
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_BUILD_SETTINGS } from '../../tools/client-build/client-vite-config';
import { CONTENT_SECURITY_POLICY } from '../../server/http/security-headers';

const PAGE_SOURCE_DIR = fileURLToPath(new URL('./browser/', import.meta.url));
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
};

export interface PageServingOptions {
  /** Files served as they are, by path: `{ '/openpgp.min.mjs': '/…/node_modules/openpgp/dist/openpgp.min.mjs' }`. */
  readonly files?: Readonly<Record<string, string>>;
  /** Answers every request under /api/ (an intake app), from the page's own origin. */
  readonly api?: (request: IncomingMessage, response: ServerResponse) => void;
}

export interface ServedPage {
  /** The page's address, ending in a slash. */
  readonly url: string;
  close(): Promise<void>;
}

/** The directives helmet sends for the intake, as one header value. */
function contentSecurityPolicy(): string {
  return Object.entries(CONTENT_SECURITY_POLICY)
    .map(([directive, sources]) => `${directive.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} ${sources.join(' ')}`)
    .join('; ');
}

async function buildPage(sourceDir: string, outDir: string): Promise<void> {
  // Vite is a build tool, present in a development checkout; imported only when the suite runs.
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: sourceDir,
    base: '/',
    publicDir: false,
    logLevel: 'warn',
    // As the clients are built, so that the same code is measured.
    build: { outDir, ...BUNDLE_BUILD_SETTINGS },
  });
}

async function respond(root: string, requestUrl: string, response: ServerResponse, files: Readonly<Record<string, string>> = {}): Promise<void> {
  const path = new URL(requestUrl, 'http://localhost').pathname;
  if (path === '/favicon.ico') {
    // Chromium asks for one on every page; a 404 would put an error in the console, read as the page's.
    response.writeHead(204).end();
    return;
  }
  // Vite names the files it writes in plain ASCII, so the path is used as it comes, undecoded.
  const file = files[path] ?? resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const contentType = CONTENT_TYPES[extname(file)];
  const served = file.startsWith(root + sep) || files[path] !== undefined;
  const body = served && contentType !== undefined ? await readFile(file).catch(() => null) : null;
  if (body === null || contentType === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  response
    .writeHead(200, { 'content-type': contentType, 'content-security-policy': contentSecurityPolicy(), 'cache-control': 'no-store' })
    .end(body);
}

async function serveDirectory(root: string, options: PageServingOptions): Promise<ServedPage> {
  const server = createServer((request, response) => {
    if (options.api !== undefined && (request.url ?? '/').startsWith('/api/')) {
      options.api(request, response);
      return;
    }
    respond(root, request.url ?? '/', response, options.files).catch(() => response.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The page server has no TCP port.');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * Builds the page and serves it until `close`, which also removes the build. `sourceDir` holds its
 * index.html; by default the browser suite's page.
 */
export async function buildAndServePage(sourceDir: string = PAGE_SOURCE_DIR, options: PageServingOptions = {}): Promise<ServedPage> {
  const outDir = await mkdtemp(join(tmpdir(), 'candor-bench-browser-'));
  try {
    await buildPage(sourceDir, outDir);
    const served = await serveDirectory(outDir, options);
    return {
      url: served.url,
      async close() {
        try {
          await served.close();
        } finally {
          await rm(outDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}
