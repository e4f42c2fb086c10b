import { describe, expect, test } from 'vitest'
import { decodeRevert } from './collectReceipts.ts'
import type { LoadTx } from './loadTypes.ts'
import { parseBatchResponse } from './rpcBatch.ts'
import { countBySender, countLoad, groupRejections, minedPerBlock } from './summarizeLoad.ts'

const a = '0x00000000000000000000000000000000000000aa'
const b = '0x00000000000000000000000000000000000000bb'
const tx = (sender: `0x${string}`, nonce: number, outcome: 'rejected' | 'mined' | 'reverted' | 'unconfirmed', block = 5n): LoadTx => ({
  kind: nonce % 2 ? 'ethFlow' : 'twap',
  sender,
  nonce,
  to: a,
  data: '0x',
  value: 0n,
  gas: 1n,
  drivenBy: 1n,
  ...(outcome === 'rejected' ? { rejected: 'nonce too low\nmore' } : { hash: `0x${nonce.toString(16).padStart(64, '0')}` }),
  ...(outcome === 'mined' || outcome === 'reverted' ? { receipt: { status: outcome === 'mined' ? 'success' : 'reverted', blockNumber: block } } : {}),
})

describe('load counts', () => {
  const txs = [tx(a, 0, 'mined'), tx(a, 1, 'mined', 6n), tx(a, 2, 'reverted'), tx(b, 0, 'unconfirmed'), tx(b, 1, 'rejected')]

  test('behavior: accepted = mined + reverted + unconfirmed, sent = accepted + rejected', () => {
    expect(countLoad(txs)).toEqual({ sent: 5, accepted: 4, rejected: 1, mined: 2, reverted: 1, unconfirmed: 1 })
  })

  test('behavior: per sender counts show an accepted tx that never got mined', () => {
    const [sa, sb] = countBySender([{ address: a, firstNonce: 0, nextNonce: 3 }, { address: b, firstNonce: 0, nextNonce: 2 }], txs)
    expect(sa).toMatchObject({ accepted: 3, mined: 2, reverted: 1, unconfirmed: 0 })
    expect(sb).toMatchObject({ accepted: 1, mined: 0, unconfirmed: 1, rejected: 1 })
  })

  test('behavior: receipts are grouped per block and rejections per first message line', () => {
    expect(minedPerBlock(txs)).toEqual([{ block: 5n, mined: 1, reverted: 1 }, { block: 6n, mined: 1, reverted: 0 }])
    expect(groupRejections(txs)).toEqual({ 'nonce too low': 1 })
  })
})

describe('parseBatchResponse and decodeRevert', () => {
  test('behavior: answers are matched by id, missing ones become errors, a whole-batch error applies to all', () => {
    const outcomes = parseBatchResponse(JSON.stringify([{ id: 1, result: '0x2' }, { id: 0, error: { code: -32000, message: 'boom', data: '0x01' } }]), 3)
    expect(outcomes).toEqual([{ ok: false, message: 'boom', code: -32000, data: '0x01' }, { ok: true, result: '0x2' }, { ok: false, message: 'no answer for this call in the batch' }])
    expect(parseBatchResponse(JSON.stringify({ id: null, error: { message: 'batch too large' } }), 2).map((o) => o.ok)).toEqual([false, false])
    expect(() => parseBatchResponse('<html>', 1)).toThrow(/not JSON/)
  })

  test('behavior: custom errors and Error(string) are decoded by name; unknown data keeps the message', () => {
    expect(decodeRevert('execution reverted', '0x8b6ebb4d')).toBe('IncorrectEthAmount()')
    // OrderNotValid("invalid span")
    const orderNotValid = '0xc8fc27250000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000c696e76616c6964207370616e0000000000000000000000000000000000000000'
    expect(decodeRevert('execution reverted', orderNotValid)).toBe('OrderNotValid("invalid span")')
    expect(decodeRevert('execution reverted', { data: '0xdeadbeef' })).toMatch(/^execution reverted \(data 0xdeadbeef/)
    expect(decodeRevert('out of gas', undefined)).toBe('out of gas')
  })
})
