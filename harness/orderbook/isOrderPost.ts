// Takes the two fields it reads (not createRequestRecord's RecordEntry): the record imports this
// function, so importing the record's type back would close an import cycle.
/**
 * True for an order submission (`POST /api/v1/orders`, under any base path such as `/sepolia`),
 * whatever the stub answered: the one test every judge and runner uses to pick order posts out of
 * the stub's record.
 *
 * @example
 * import { isOrderPost } from './isOrderPost.ts'
 * isOrderPost({ method: 'POST', path: '/sepolia/api/v1/orders' }) // true
 * isOrderPost({ method: 'GET', path: '/api/v1/orders/0xabc' }) // false
 * stub.record.entries.filter(isOrderPost).length // every order post the stub received
 */
export function isOrderPost(entry: { method: string; path: string }): boolean {
  return entry.method === 'POST' && entry.path.endsWith('/api/v1/orders')
}
