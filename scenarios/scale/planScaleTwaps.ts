import { keccak256, toHex, type Address, type Hex } from 'viem'
import type { TwapData } from '../../harness/twap/model.ts'

/** Why a planned TWAP exists: due during the steady window, part of the aligned burst, or watched and not due. */
export type PlannedRole = 'due' | 'burst' | 'idle'

/** One TWAP to create: its owner, salt, handler data and role. */
export type PlannedTwap = { index: number; owner: Address; salt: Hex; data: TwapData; role: PlannedRole }

export type PlanScaleTwapsParameters = {
  /** Global index of the first TWAP of this phase (keeps salts and sell amounts unique across phases). */
  firstIndex: number
  count: number
  owners: readonly Address[]
  /** Due during the steady window: `duePerBlock` of them at each of `steadyBlocks` blocks. */
  duePerBlock: number
  steadyBlocks: number
  /** Timestamp of the block before the steady window: the k-th steady block (from 1) is at steadyStart + k. */
  steadyStart: bigint
  /** Parts of the aligned burst in this phase (all with t0 = burstAt). */
  burstParts: number
  burstAt: bigint
  /** No idle TWAP starts before this timestamp: none is due while the run lasts. */
  idleFrom: bigint
  tokens: { sell: Address; buy: Address }
}

/** Shortest and longest part of an idle TWAP: 5 minutes to 24 hours. */
export const partSecondsRange = [300, 86_400] as const
const baseSellAmount = 10n ** 15n

/** A deterministic fraction in [0, 1) from the index: the plan is the same on every run. */
function fraction(index: number, salt: string): number {
  return Number(BigInt(keccak256(toHex(`shepherd-scale:${salt}:${index}`)).slice(0, 14)) % 1_000_000n) / 1_000_000
}

/**
 * The TWAPs of one growth phase. `duePerBlock x steadyBlocks` are "due": t0 at a steady block (two parts of a day: only the first is due in the run), so that a fixed number comes due per block whatever N is. `burstParts` are the
 * burst: t0 = burstAt for all. The rest are idle: parts of 5 min to 24 h (log-uniform) starting
 * after `idleFrom` (at a random phase of one part), so none is due during the run and each sits in
 * the engine's time-keyed schedule as a mid-flight TWAP does between parts. Sell amounts grow with
 * the index, so no two parts share a UID. Pure.
 *
 * @example
 * const twaps = planScaleTwaps({ firstIndex: 0, count: 1000, owners, duePerBlock: 2, steadyBlocks: 15, steadyStart: 1_000n, burstParts: 0, burstAt: 0n, idleFrom: 100_000n, tokens })
 */
export function planScaleTwaps(p: PlanScaleTwapsParameters): PlannedTwap[] {
  const due = p.duePerBlock * p.steadyBlocks
  if (p.count < due + p.burstParts) throw new RangeError(`planScaleTwaps: ${p.count} TWAPs cannot hold ${due} due and ${p.burstParts} burst TWAPs`)
  if (p.owners.length === 0) throw new RangeError('planScaleTwaps: no owners')
  const [shortest, longest] = partSecondsRange
  const twaps: PlannedTwap[] = []
  for (let i = 0; i < p.count; i++) {
    const index = p.firstIndex + i
    const owner = p.owners[index % p.owners.length]!
    const role: PlannedRole = i < due ? 'due' : i < due + p.burstParts ? 'burst' : 'idle'
    let t0: bigint
    let t: bigint
    let n: bigint
    if (role === 'due') {
      // Two parts of a day (a TWAP needs n > 1): the second is never due while the run lasts.
      t0 = p.steadyStart + 1n + BigInt(Math.floor(i / p.duePerBlock))
      t = 86_400n
      n = 2n
    } else if (role === 'burst') {
      t0 = p.burstAt
      t = 3600n
      n = 2n
    } else {
      t = BigInt(Math.round(shortest * (longest / shortest) ** fraction(index, 't')))
      t0 = p.idleFrom + BigInt(Math.floor(fraction(index, 'phase') * Number(t)))
      n = 4n
    }
    const data: TwapData = {
      sellToken: p.tokens.sell,
      buyToken: p.tokens.buy,
      receiver: owner,
      partSellAmount: baseSellAmount + BigInt(index),
      minPartLimit: 1n,
      t0,
      n,
      t,
      span: 0n,
      appData: keccak256(toHex('{}')),
    }
    twaps.push({ index, owner, salt: keccak256(toHex(`shepherd-scale:salt:${index}`)), data, role })
  }
  return twaps
}
