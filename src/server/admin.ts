/**
 * batchlink's own routes under `/_batchlink/` on the gateway (health, network map, …). They
 * need no signature and reveal no secret. Modules register their routes at composition time.
 */
import type { HttpRequest, HttpResponse } from '../protocol/http.js';

export type AdminRoute = (request: HttpRequest) => unknown;

export class AdminRoutes {
  private readonly routes = new Map<string, AdminRoute>();

  register(path: string, route: AdminRoute): void {
    this.routes.set(path, route);
  }

  /** Answers an admin path, or returns undefined when the path is not an admin route. */
  answer(request: HttpRequest): HttpResponse | undefined {
    if (!request.rawPath.startsWith('/_batchlink/')) return undefined;
    const route = this.routes.get(request.rawPath);
    if (!route || request.method !== 'GET') {
      return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"no such batchlink route"}' };
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(route(request), null, 2) };
  }
}
