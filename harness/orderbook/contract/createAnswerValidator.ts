import { Ajv, type ValidateFunction } from 'ajv'
import { orderbookApiSchemas, type OrderbookSchemaName } from './orderbookApiSchemas.ts'
import { orderbookRouteContract, type RouteContract } from './orderbookRouteContract.ts'

/** One answer as a client sees it. */
export type ObservedAnswer = { status: number; contentType: string | null; bodyText: string }

/** The verdict on one answer: every way it departs from the contract (empty when it conforms). */
export type AnswerVerdict = { ok: boolean; problems: string[] }

/** Checks an answer of one route against the API's contract. */
export type AnswerValidator = (route: string, answer: ObservedAnswer) => AnswerVerdict

/**
 * A validator of the stub's answers against the published API: the status must be one the route
 * documents (`orderbookRouteContract`), and the body valid against that status's schemas
 * (`orderbookApiSchemas`, compiled with Ajv), or plain text where that is what the service sends.
 * `contract` defaults to the orderbook's; pass another to test the validator itself.
 *
 * @example
 * const validate = createAnswerValidator()
 * const verdict = validate('GET /api/v1/orders/:uid', { status: 200, contentType: 'application/json', bodyText })
 * if (!verdict.ok) throw new Error(verdict.problems.join('\n'))
 */
export function createAnswerValidator(contract: Readonly<Record<string, RouteContract>> = orderbookRouteContract): AnswerValidator {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true }).addSchema(orderbookApiSchemas)
  const compiled = new Map<OrderbookSchemaName, ValidateFunction>()
  const schema = (name: OrderbookSchemaName) => {
    let validate = compiled.get(name)
    if (!validate) {
      validate = ajv.getSchema(`orderbook#/definitions/${name}`)
      if (!validate) throw new Error(`no schema named ${name}`)
      compiled.set(name, validate)
    }
    return validate
  }

  return (route, answer) => {
    const routeContract = contract[route]
    if (!routeContract) return { ok: false, problems: [`${route}: not in the contract`] }
    const expected = routeContract[answer.status]
    if (expected === undefined) {
      return { ok: false, problems: [`${route}: status ${answer.status} is not documented (documented: ${Object.keys(routeContract).join(', ')})`] }
    }
    if (expected === 'any') return { ok: true, problems: [] }
    const contentType = answer.contentType ?? ''
    if (expected === 'text') {
      return contentType.startsWith('text/plain') ? { ok: true, problems: [] } : { ok: false, problems: [`${route} ${answer.status}: expected text/plain, got "${contentType}"`] }
    }
    if (!contentType.includes('json')) return { ok: false, problems: [`${route} ${answer.status}: expected JSON, got "${contentType}"`] }
    let body: unknown
    try {
      body = JSON.parse(answer.bodyText) as unknown
    } catch {
      return { ok: false, problems: [`${route} ${answer.status}: the body is not JSON: ${answer.bodyText.slice(0, 80)}`] }
    }
    const problems: string[] = []
    for (const name of expected.json) {
      const validate = schema(name)
      if (validate(body)) return { ok: true, problems: [] }
      problems.push(`${name}: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`)
    }
    return { ok: false, problems: problems.map((p) => `${route} ${answer.status}: ${p}`) }
  }
}
