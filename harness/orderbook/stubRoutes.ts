import type { Route } from './answerRoute.ts'
import { appDataRoutes } from './appDataRoutes.ts'
import { cancelRoutes } from './cancelRoutes.ts'
import { orderRoutes } from './orderRoutes.ts'
import { quoteRoutes } from './quoteRoutes.ts'
import { readRoutes } from './readRoutes.ts'
import { textAnswer } from './stubExchange.ts'

const versionRoute: Route = {
  method: 'GET',
  path: '/api/v1/version',
  resolve: ({ stub }) => ({ answer: textAnswer(stub.version) }),
}

/**
 * Every route of the stub, in matching order: the one list both serving modes (MSW handlers and
 * `serveOrderbookStub`) are built from.
 *
 * @example
 * const match = createRouteMatcher(stubRoutes)
 */
export const stubRoutes: readonly Route[] = [...orderRoutes, ...cancelRoutes, ...appDataRoutes, ...quoteRoutes, versionRoute, ...readRoutes]
