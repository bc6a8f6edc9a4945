import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../../helpers/console';

let site: TestConsole;
beforeAll(async () => {
  site = await startTestConsole();
});
afterAll(() => site.close());

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** The routes of the app's first mounted router (its `/api/v1` API), read from Express's routing tables. */
function apiRoutes(app: unknown): string[] {
  const mounted = (app as { router: { stack: Layer[] } }).router.stack.find((layer) => layer.handle.stack !== undefined);
  return routesIn(mounted!.handle.stack!);
}

/** Every route of these layers; the console's routers nest. */
function routesIn(layers: readonly Layer[]): string[] {
  return layers.flatMap((layer) => {
    if (layer.route) return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} /api/v1${layer.route!.path}`);
    return layer.handle.stack ? routesIn(layer.handle.stack) : [];
  });
}

describe('docs/console-api.md', () => {
  it('when compared with the routes the console serves, then each route is documented and nothing else is', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/console-api.md'), 'utf8');
    const documented = [...doc.matchAll(/`(GET|POST|PUT|DELETE|PATCH) (\/api\/v1\/[^`?\s]*)/g)].map((match) => `${match[1]} ${match[2]}`);
    const served = apiRoutes(site.app);
    expect(new Set(documented)).toEqual(new Set(served));
    expect(served.length).toBeGreaterThan(25);
  });

  it('when the intake app is searched for console routes, then it has none, and the console has no intake route', () => {
    const intakeRoutes = apiRoutes(site.intake.app);
    const consoleRoutes = new Set(apiRoutes(site.app));
    expect(intakeRoutes.length).toBeGreaterThan(8);
    expect(intakeRoutes.filter((route) => /session|account|admin|\/cases\//.test(route))).toEqual([]);
    expect(intakeRoutes.filter((route) => consoleRoutes.has(route))).toEqual([]);
  });
});
