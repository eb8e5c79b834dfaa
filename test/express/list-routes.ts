/** A route of an Express app: method and full path. */
export interface MountedRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** Walks an Express 5 app's router stack (nested routers included) and lists every route. */
export function listRoutes(app: unknown): MountedRoute[] {
  return walk((app as { router: { stack: Layer[] } }).router.stack);
}

function walk(stack: Layer[], prefix = ''): MountedRoute[] {
  const routes: MountedRoute[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) {
        routes.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      routes.push(...walk(layer.handle.stack, prefix + mount));
    }
  }
  return routes;
}
