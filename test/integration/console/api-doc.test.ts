import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../../helpers/console';
import { apiRoutes } from '../../helpers/express-routes';

let site: TestConsole;
beforeAll(async () => {
  site = await startTestConsole();
});
afterAll(() => site.close());

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
