import type { OrderCreation } from '@cowprotocol/cow-sdk'
import type { Address, Hex } from 'viem'
import type { MulticallCall, MulticallResult } from '../module/types.ts'

/** Every Host operation MockHost records and can inject faults into. */
export type MockOperation =
  | 'chain.call'
  | 'chain.multicall'
  | 'chain.request'
  | 'chain.getBalance'
  | 'cowApi.submitOrder'
  | 'cowApi.getOrder'
  | 'cowApi.getAppData'
  | 'cowApi.request'

/** How a recorded operation ended: still pending, answered, reverted (calls), or rejected. */
export type MockOutcome = 'pending' | 'ok' | 'revert' | 'error'

type Base = { seq: number; outcome: MockOutcome; fault?: string }
export type MockCallRecord = Base & { op: 'chain.call'; chainId: number; to: Address; data: Hex; blockNumber?: bigint }
export type MockMulticallRecord = Base & {
  op: 'chain.multicall'
  chainId: number
  calls: readonly MulticallCall[]
  blockNumber?: bigint
  results?: MulticallResult[]
}
export type MockChainRequestRecord = Base & { op: 'chain.request'; chainId: number; method: string; params: readonly unknown[] }
export type MockGetBalanceRecord = Base & { op: 'chain.getBalance'; chainId: number; address: Address; blockNumber?: bigint }
export type MockSubmitRecord = Base & { op: 'cowApi.submitOrder'; chainId: number; order: OrderCreation; uid?: string }
export type MockGetOrderRecord = Base & { op: 'cowApi.getOrder'; chainId: number; uid: string }
export type MockGetAppDataRecord = Base & { op: 'cowApi.getAppData'; chainId: number; hash: Hex }
export type MockCowRequestRecord = Base & { op: 'cowApi.request'; chainId: number; method: string; path: string; body: unknown }

/** One recorded Host operation, in call order (`seq`). */
export type MockRecord =
  | MockCallRecord
  | MockMulticallRecord
  | MockChainRequestRecord
  | MockGetBalanceRecord
  | MockSubmitRecord
  | MockGetOrderRecord
  | MockGetAppDataRecord
  | MockCowRequestRecord

export type MockRecordOf<op extends MockOperation> = Extract<MockRecord, { op: op }>

/** The shared, append-only record of a MockHost. */
export type MockRecorder = {
  readonly all: MockRecord[]
  push<record extends MockRecord>(record: Omit<record, 'seq' | 'outcome'>): record
  of<op extends MockOperation>(op: op): Array<MockRecordOf<op>>
}

export function createRecorder(): MockRecorder {
  const all: MockRecord[] = []
  return {
    all,
    push<record extends MockRecord>(partial: Omit<record, 'seq' | 'outcome'>) {
      const record = { ...partial, seq: all.length, outcome: 'pending' } as unknown as record
      all.push(record)
      return record
    },
    of<op extends MockOperation>(op: op) {
      return all.filter((record): record is MockRecordOf<op> => record.op === op)
    },
  }
}
