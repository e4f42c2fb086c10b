import { describe, expect, test } from 'vitest'
import { isOrderPost } from './isOrderPost.ts'

describe('isOrderPost', () => {
  test('behavior: only POST /api/v1/orders is an order post, under any base path', () => {
    expect(isOrderPost({ method: 'POST', path: '/api/v1/orders' })).toBe(true)
    expect(isOrderPost({ method: 'POST', path: '/sepolia/api/v1/orders' })).toBe(true)
    expect(isOrderPost({ method: 'GET', path: '/api/v1/orders' })).toBe(false)
    expect(isOrderPost({ method: 'POST', path: '/api/v1/orders/0xabc' })).toBe(false)
    expect(isOrderPost({ method: 'POST', path: '/api/v1/quote' })).toBe(false)
  })
})
