/**
 * Vite plugin: adds Subresource Integrity (SHA-384) to every script and stylesheet the built
 * index.html loads, so that a browser refuses an asset that differs from the one built.
 */
import { createHash } from 'node:crypto';
import type { Plugin, Rolldown } from 'vite';

/** `html` with an integrity attribute on every script and stylesheet tag, computed from the bundle as written. */
function withIntegrity(html: string, bundle: Rolldown.OutputBundle): string {
  const integrityOf = (url: string): string => {
    const asset = bundle[url.replace(/^\//, '')];
    if (asset === undefined) throw new Error(`SRI: ${url} is not in the bundle`);
    const source = asset.type === 'chunk' ? asset.code : asset.source;
    return `sha384-${createHash('sha384').update(source).digest('base64')}`;
  };
  return html.replace(/<(script|link)\b([^>]*?)\b(src|href)="([^"]+)"([^>]*)>/g, (tag, element: string, before: string, attribute: string, url: string, after: string) => {
    if (/^(https?:)?\/\//.test(url)) throw new Error(`SRI: external resource ${url} is not allowed`);
    const isAsset = element === 'script' || /rel="(stylesheet|modulepreload)"/.test(tag);
    if (!isAsset || tag.includes('integrity=')) return tag;
    return `<${element}${before}${attribute}="${url}" integrity="${integrityOf(url)}"${after}>`;
  });
}

export function subresourceIntegrity(): Plugin {
  return {
    name: 'candor-subresource-integrity',
    apply: 'build',
    enforce: 'post',
    // Last of all output hooks, not in transformIndexHtml: Vite rewrites a chunk that has a dynamic
    // import() (its preload list) after the page is made, which would leave the page a stale hash.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const file of Object.values(bundle)) {
          if (file.type !== 'asset' || !file.fileName.endsWith('.html')) continue;
          const html = typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
          file.source = withIntegrity(html, bundle);
        }
      },
    },
  };
}
