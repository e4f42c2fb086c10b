import type { Route } from './answerRoute.ts'

/** A matched route and its decoded path parameters. */
export type RouteMatch = { route: Route; params: Record<string, string> }

/** Finds the route for a method and pathname, or undefined. */
export type RouteMatcher = (method: string, path: string) => RouteMatch | undefined

type Compiled = { route: Route; segments: Array<{ param: string } | { literal: string }> }

/**
 * A matcher for route paths in MSW syntax (`/api/v1/orders/:uid`), matching as MSW does: static
 * segments case-insensitively, an optional trailing slash, parameters URI-decoded; the first
 * route in the list wins. No regular expressions per request, no MSW.
 *
 * @example
 * const match = createRouteMatcher(stubRoutes)
 * match('GET', '/api/v1/orders/0xabc') // { route: getOrder, params: { uid: '0xabc' } }
 */
export function createRouteMatcher(routes: readonly Route[]): RouteMatcher {
  const byMethod = new Map<string, Compiled[]>()
  for (const route of routes) {
    const segments = route.path
      .split('/')
      .slice(1)
      .map((segment) => (segment.startsWith(':') ? { param: segment.slice(1) } : { literal: segment.toLowerCase() }))
    const list = byMethod.get(route.method) ?? []
    list.push({ route, segments })
    byMethod.set(route.method, list)
  }
  return (method, path) => {
    const candidates = byMethod.get(method.toUpperCase())
    if (!candidates || !path.startsWith('/')) return undefined
    const parts = path.split('/').slice(1)
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
    for (const { route, segments } of candidates) {
      if (segments.length !== parts.length) continue
      const params = matchSegments(segments, parts)
      if (params) return { route, params }
    }
    return undefined
  }
}

function matchSegments(segments: Compiled['segments'], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!
    const part = parts[i]!
    if ('literal' in segment) {
      if (segment.literal !== part.toLowerCase()) return undefined
      continue
    }
    if (part === '') return undefined
    try {
      params[segment.param] = decodeURIComponent(part)
    } catch {
      return undefined
    }
  }
  return params
}
