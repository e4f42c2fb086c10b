import { MetadataApi } from '@cowprotocol/cow-sdk'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/** The orderbook's default limit on an appData document (the services' `app_data_size_limit`), in bytes. */
export const APP_DATA_SIZE_LIMIT = 8192

/** Whether a document is one the stub registers, and why not. `description` follows the service's "app data is invalid: ..." wording. */
export type ValidateAppDataDocumentReturnType = { ok: true } | { ok: false; description: string }

const api = new MetadataApi()
// A registered document is content-addressed: its verdict never changes, so each text is checked once.
const verdicts = new Map<string, ValidateAppDataDocumentReturnType>()
const MAX_REMEMBERED = 1024

/**
 * Checks an appData document as `PUT /api/v1/app_data` does, then against the published appData
 * schema of the version it declares: at most `APP_DATA_SIZE_LIMIT` bytes (as the service), a JSON
 * object (as the service), and valid under `@cowprotocol/sdk-app-data`'s schema for its `version`
 * (cow-sdk's `MetadataApi.validateAppDataDoc`; the schema is the library's, never a copy of ours).
 * The empty document "{}" is the protocol's canonical one and always valid. Never throws.
 *
 * The real service checks the size, the JSON and the protocol fields of `metadata` (hooks, partner
 * fee, signer...) but not the whole schema; the stub is stricter on purpose: a client that writes a
 * document the schema refuses is told so here rather than by a solver or a UI later.
 *
 * @example
 * await validateAppDataDocument('{"appCode":"x","metadata":{},"version":"1.15.0"}') // { ok: true }
 * await validateAppDataDocument('{"metadata":{}}') // { ok: false, description: "app data is invalid: ... 'version'" }
 */
export async function validateAppDataDocument(fullAppData: string): Promise<ValidateAppDataDocumentReturnType> {
  const known = verdicts.get(fullAppData)
  if (known) return known
  const verdict = await judgeDocument(fullAppData)
  if (verdicts.size >= MAX_REMEMBERED) verdicts.clear()
  verdicts.set(fullAppData, verdict)
  return verdict
}

const invalid = (reason: string): ValidateAppDataDocumentReturnType => ({ ok: false, description: `app data is invalid: ${reason}` })

async function judgeDocument(fullAppData: string): Promise<ValidateAppDataDocumentReturnType> {
  const bytes = Buffer.byteLength(fullAppData)
  if (bytes > APP_DATA_SIZE_LIMIT) return invalid(`app data has byte size ${bytes} which is larger than limit ${APP_DATA_SIZE_LIMIT}`)
  let document: unknown
  try {
    document = JSON.parse(fullAppData)
  } catch (error) {
    return invalid(`invalid app data json: ${errorMessage(error)}`)
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return invalid('invalid app data json: expected a JSON object')
  if (Object.keys(document).length === 0) return { ok: true }
  // The library picks the schema by `version` and fails obscurely without a string one: say it plainly.
  const version = (document as { version?: unknown }).version
  if (typeof version !== 'string') return invalid(`data must have required property 'version' (a string naming the appData schema version, e.g. "1.15.0"), found ${JSON.stringify(version)}`)
  try {
    const result = await api.validateAppDataDoc(document as Parameters<MetadataApi['validateAppDataDoc']>[0])
    return result.success ? { ok: true } : invalid(result.errors ?? 'refused by the appData schema')
  } catch (error) {
    return invalid(`the appData schema could not be applied: ${errorMessage(error)}`)
  }
}
