import type { Hex } from 'viem'
import { keccak256Utf8 } from '../../modules/sdk/hash/keccak256.ts'
import { apiErrorAnswer, badParameterAnswer, invalidJsonAnswer } from './apiError.ts'
import { jsonAnswer, textAnswer, type StubAnswer } from './stubExchange.ts'
import type { Route, RouteContext } from './answerRoute.ts'
import { validateAppDataDocument } from './validateAppDataDocument.ts'

const HASH_PATTERN = /^0x[0-9a-fA-F]{64}$/

const getAppData: Route = {
  method: 'GET',
  path: '/api/v1/app_data/:hash',
  resolve({ stub, params }) {
    const hash = params.hash ?? ''
    if (!HASH_PATTERN.test(hash)) return { answer: badParameterAnswer('path', `appDataHash: expected 32 bytes of hex, got "${hash}"`) }
    const fullAppData = stub.getAppData(hash)
    // The real service answers this 404 in plain text, not JSON.
    if (fullAppData === undefined) return { answer: textAnswer('full app data not found', 404) }
    return { answer: jsonAnswer({ fullAppData }) }
  },
}

/**
 * Reads `{ fullAppData: string }` from the body and validates the document (size, JSON, the published
 * appData schema: validateAppDataDocument.ts), or explains what is wrong. The service answers an invalid
 * document 400 `AppDataInvalid` ("app data is invalid: ..."), not the order post's `InvalidAppData`.
 */
async function readDocument({ body }: RouteContext): Promise<string | StubAnswer> {
  const document = typeof body === 'object' && body !== null ? (body as { fullAppData?: unknown }).fullAppData : undefined
  if (typeof document !== 'string') return invalidJsonAnswer(422, 'body: expected { "fullAppData": "<json string>" }')
  const verdict = await validateAppDataDocument(document)
  return verdict.ok ? document : apiErrorAnswer(400, 'AppDataInvalid', verdict.description)
}

const putAppDataAt: Route = {
  method: 'PUT',
  path: '/api/v1/app_data/:hash',
  body: 'json',
  async resolve(context) {
    const hash = (context.params.hash ?? '').toLowerCase()
    if (!HASH_PATTERN.test(hash)) return { answer: badParameterAnswer('path', `appDataHash: expected 32 bytes of hex, got "${hash}"`) }
    const document = await readDocument(context)
    if (typeof document !== 'string') return { answer: document }
    const actual = keccak256Utf8(document)
    if (actual !== (hash as Hex)) {
      return { answer: apiErrorAnswer(400, 'AppDataHashMismatch', `keccak256(fullAppData) is ${actual}, not ${hash}`) }
    }
    const { created } = context.stub.putAppData(document)
    return { answer: jsonAnswer(actual, created ? 201 : 200) }
  },
}

const putAppData: Route = {
  method: 'PUT',
  path: '/api/v1/app_data',
  body: 'json',
  async resolve(context) {
    const document = await readDocument(context)
    if (typeof document !== 'string') return { answer: document }
    const { hash, created } = context.stub.putAppData(document)
    return { answer: jsonAnswer(hash, created ? 201 : 200) }
  },
}

/**
 * GET and PUT /api/v1/app_data/{hash}, and PUT /api/v1/app_data (the service computes the hash).
 *
 * @example
 * const routes = [...appDataRoutes]
 */
export const appDataRoutes: readonly Route[] = [getAppData, putAppDataAt, putAppData]
