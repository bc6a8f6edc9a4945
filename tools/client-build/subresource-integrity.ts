/**
 * Vite plugin: adds Subresource Integrity (SHA-384) to every script and stylesheet the built
 * index.html loads, so that a browser refuses an asset that differs from the one built.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

export function subresourceIntegrity(): Plugin {
  return {
    name: 'candor-subresource-integrity',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle ?? {};
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
      },
    },
  };
}
