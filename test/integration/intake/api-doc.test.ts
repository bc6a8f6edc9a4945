import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIntake, type TestIntake } from '../../helpers/intake';

let intake: TestIntake;
beforeAll(async () => {
  intake = await startTestIntake();
});
afterAll(() => intake.close());

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: RouteLayer[] };
}

/** Every `METHOD /api/v1/...` the app answers, read from Express's own routing table. */
function servedRoutes(): string[] {
  const mounted = (intake.app as unknown as { router: { stack: RouteLayer[] } }).router.stack.find((layer) => layer.handle.stack !== undefined);
  return mounted!.handle.stack!.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} /api/v1${layer.route!.path}`) : [],
  );
}

describe('docs/api.md', () => {
  it('when compared with the routes the intake serves, then each route is documented and nothing else is', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/api.md'), 'utf8');
    const documented = [...doc.matchAll(/`(GET|POST|PUT|DELETE|PATCH) (\/api\/v1\/[^`?\s]*)/g)].map((match) => `${match[1]} ${match[2]}`);
    expect(new Set(documented)).toEqual(new Set(servedRoutes()));
    expect(servedRoutes().length).toBeGreaterThan(8);
  });
});
