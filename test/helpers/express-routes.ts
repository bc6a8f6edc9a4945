/** The routes an Express app serves under its first mounted router (its `/api/v1` API), read from Express's routing tables. */

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every `METHOD /api/v1/path` the app's API router serves; the console's routers nest. */
export function apiRoutes(app: unknown): string[] {
  const mounted = (app as { router: { stack: Layer[] } }).router.stack.find((layer) => layer.handle.stack !== undefined);
  return routesIn(mounted!.handle.stack!);
}

function routesIn(layers: readonly Layer[]): string[] {
  return layers.flatMap((layer) => {
    if (layer.route) return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} /api/v1${layer.route!.path}`);
    return layer.handle.stack ? routesIn(layer.handle.stack) : [];
  });
}
