import { describe, expect, test } from 'vitest'
import { isJsonContentType, readJsonBody } from './readJsonBody.ts'
import type { StubRequest } from './stubExchange.ts'

const request = (contentType: string | undefined, bodyText: string): StubRequest => ({
  method: 'POST',
  path: '/api/v1/orders',
  headers: contentType === undefined ? {} : { 'content-type': contentType },
  bodyText,
})

describe('readJsonBody', () => {
  test('behavior: JSON media types are read, with parameters and +json suffixes', () => {
    expect(isJsonContentType('application/json')).toBe(true)
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true)
    expect(isJsonContentType('application/problem+json')).toBe(true)
    expect(readJsonBody(request('application/json', '{"a":1}'))).toEqual({ ok: true, body: { a: 1 } })
  })

  test('behavior: a missing or non-JSON content-type is 415, a syntax error or an empty body 400, both InvalidJson', () => {
    for (const contentType of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'text/json']) {
      const read = readJsonBody(request(contentType, '{"a":1}'))
      expect(read.ok).toBe(false)
      if (!read.ok) expect({ status: read.answer.status, body: JSON.parse(read.answer.bodyText) as unknown }).toEqual({ status: 415, body: { errorType: 'InvalidJson', description: 'Expected request with `Content-Type: application/json`' } })
    }
    for (const text of ['{oops', '']) {
      const read = readJsonBody(request('application/json', text))
      expect(read.ok).toBe(false)
      if (!read.ok) {
        expect(read.answer.status).toBe(400)
        expect(JSON.parse(read.answer.bodyText)).toMatchObject({ errorType: 'InvalidJson', description: expect.stringMatching(/^Failed to parse the request body as JSON: /) })
      }
    }
  })
})
