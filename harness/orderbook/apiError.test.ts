import { describe, expect, test } from 'vitest'
import { apiError, apiErrorAnswer } from './apiError.ts'

describe('apiError', () => {
  test('behavior: the Response carries the same status, JSON body and Retry-After as the plain answer', async () => {
    const response = apiError(429, 'TooManyRequests', 'slow down', { retryAfter: 7, data: { limit: 5 } })
    const answer = apiErrorAnswer(429, 'TooManyRequests', 'slow down', { retryAfter: 7, data: { limit: 5 } })
    expect(response.status).toBe(429)
    expect(response.headers.get('Retry-After')).toBe('7')
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(await response.json()).toEqual({ errorType: 'TooManyRequests', description: 'slow down', data: { limit: 5 } })
    expect(JSON.parse(answer.bodyText)).toEqual({ errorType: 'TooManyRequests', description: 'slow down', data: { limit: 5 } })
    expect(apiError(400, 'DuplicatedOrder', 'order already exists').headers.get('Retry-After')).toBeNull()
  })
})
