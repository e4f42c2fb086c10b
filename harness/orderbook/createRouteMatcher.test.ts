import { describe, expect, test } from 'vitest'
import type { Route } from './answerRoute.ts'
import { createRouteMatcher } from './createRouteMatcher.ts'
import { stubRoutes } from './stubRoutes.ts'

const route = (method: Route['method'], path: string): Route => ({ method, path, resolve: () => ({ answer: { status: 204, headers: {}, bodyText: '' } }) })

describe('createRouteMatcher', () => {
  const byHash = route('PUT', '/api/v1/app_data/:hash')
  const bare = route('PUT', '/api/v1/app_data')
  const read = route('GET', '/api/v1/orders/:uid')
  const match = createRouteMatcher([byHash, bare, read])

  test('behavior: picks the route by method and segment count, with decoded parameters', () => {
    expect(match('PUT', '/api/v1/app_data/0xab')).toEqual({ route: byHash, params: { hash: '0xab' } })
    expect(match('PUT', '/api/v1/app_data')).toEqual({ route: bare, params: {} })
    expect(match('GET', '/api/v1/orders/a%20b')).toEqual({ route: read, params: { uid: 'a b' } })
  })

  test('behavior: accepts a trailing slash and any letter case in static segments, as MSW does', () => {
    expect(match('get', '/API/V1/Orders/0xAB/')).toEqual({ route: read, params: { uid: '0xAB' } })
  })

  test('behavior: answers undefined for another method, extra or missing segments, an empty or badly encoded parameter', () => {
    expect(match('POST', '/api/v1/orders/0xab')).toBeUndefined()
    expect(match('GET', '/api/v1/orders/0xab/extra')).toBeUndefined()
    expect(match('GET', '/api/v1/orders')).toBeUndefined()
    expect(match('GET', '/api/v1/orders//')).toBeUndefined()
    expect(match('GET', '/api/v1/orders/%E0%A4%A')).toBeUndefined()
    expect(match('GET', 'api/v1/orders/0xab')).toBeUndefined()
  })

  test('behavior: every stub route is reachable by its own path', () => {
    const all = createRouteMatcher(stubRoutes)
    for (const r of stubRoutes) expect(all(r.method, r.path.replace(/:(\w+)/g, '0x01'))?.route).toBe(r)
  })
})
