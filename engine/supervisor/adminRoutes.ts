import type { AdminRoute } from '../metrics/serveMetrics.ts'
import type { SupervisedRunner } from './createSupervisedRunner.ts'

const releasePath = /^\/admin\/modules\/([^/]+)\/release$/

/**
 * The supervisor's admin endpoints, for `serveMetrics({ admin })`:
 * - `GET /admin/modules`: every supervised module's state, by name;
 * - `POST /admin/modules/<name>/release`: un-parks a poisoned module (409 when it is not poisoned).
 * An unknown module is a 404 with a JSON body naming the known ones; other paths fall through.
 *
 * @example
 * await serveMetrics({ registry, bind: '127.0.0.1:9100', health, admin: createAdminRoutes(supervisors) })
 */
export function createAdminRoutes(supervisors: ReadonlyMap<string, Pick<SupervisedRunner, 'state' | 'release'>>): AdminRoute {
  const known = () => [...supervisors.keys()]
  return async ({ method, path }) => {
    if (path === '/admin/modules') {
      if (method !== 'GET') return { status: 405, body: { error: `${method} not allowed on ${path}; use GET` } }
      return { status: 200, body: { modules: Object.fromEntries([...supervisors].map(([name, runner]) => [name, runner.state()])) } }
    }
    const match = releasePath.exec(path)
    if (!match) return undefined
    if (method !== 'POST') return { status: 405, body: { error: `${method} not allowed on ${path}; use POST` } }
    const name = decodeURIComponent(match[1]!)
    const runner = supervisors.get(name)
    if (!runner) return { status: 404, body: { error: `unknown module "${name}"`, modules: known() } }
    const { released, state } = runner.release()
    if (!released) return { status: 409, body: { error: `module "${name}" is not poisoned (status: ${state.status})`, module: name, state } }
    return { status: 200, body: { released: true, module: name, state } }
  }
}
