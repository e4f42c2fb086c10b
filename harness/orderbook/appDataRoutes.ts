import { HttpResponse } from 'msw'
import { keccak256, stringToBytes, type Hex } from 'viem'
import { apiError } from './apiError.ts'
import type { Route, RouteContext } from './createOrderbookHandlers.ts'

const HASH_PATTERN = /^0x[0-9a-fA-F]{64}$/

const getAppData: Route = {
  method: 'GET',
  path: '/api/v1/app_data/:hash',
  resolve({ stub, params }) {
    const hash = params.hash ?? ''
    if (!HASH_PATTERN.test(hash)) return { response: apiError(400, 'InvalidRequest', `appDataHash: expected 32 bytes of hex, got "${hash}"`) }
    const fullAppData = stub.getAppData(hash)
    // The real service answers this 404 in plain text, not JSON.
    if (fullAppData === undefined) return { response: new HttpResponse('full app data not found', { status: 404, headers: { 'Content-Type': 'text/plain' } }) }
    return { response: HttpResponse.json({ fullAppData }) }
  },
}

/** Reads `{ fullAppData: string }` from the body, or explains what is wrong. */
function readDocument({ body }: RouteContext): string | Response {
  const document = typeof body === 'object' && body !== null ? (body as { fullAppData?: unknown }).fullAppData : undefined
  if (typeof document !== 'string') return apiError(400, 'InvalidRequest', 'body: expected { "fullAppData": "<json string>" }')
  try {
    const value: unknown = JSON.parse(document)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object')
  } catch {
    return apiError(400, 'InvalidAppData', 'fullAppData is not a JSON object')
  }
  return document
}

const putAppDataAt: Route = {
  method: 'PUT',
  path: '/api/v1/app_data/:hash',
  resolve(context) {
    const hash = (context.params.hash ?? '').toLowerCase()
    if (!HASH_PATTERN.test(hash)) return { response: apiError(400, 'InvalidRequest', `appDataHash: expected 32 bytes of hex, got "${hash}"`) }
    const document = readDocument(context)
    if (document instanceof Response) return { response: document }
    const actual = keccak256(stringToBytes(document))
    if (actual !== (hash as Hex)) {
      return { response: apiError(400, 'AppDataHashMismatch', `keccak256(fullAppData) is ${actual}, not ${hash}`) }
    }
    const { created } = context.stub.putAppData(document)
    return { response: HttpResponse.json(actual, { status: created ? 201 : 200 }) }
  },
}

const putAppData: Route = {
  method: 'PUT',
  path: '/api/v1/app_data',
  resolve(context) {
    const document = readDocument(context)
    if (document instanceof Response) return { response: document }
    const { hash, created } = context.stub.putAppData(document)
    return { response: HttpResponse.json(hash, { status: created ? 201 : 200 }) }
  },
}

/** GET and PUT /api/v1/app_data/{hash}, and PUT /api/v1/app_data (the service computes the hash). */
export const appDataRoutes: readonly Route[] = [getAppData, putAppDataAt, putAppData]
