import { rpcCall } from '../load/rpcBatch.ts'

/**
 * Watches the chain's head from the harness side and records when each block was first seen
 * (wall clock, ms). Latency "from the block that made a part tradeable" starts here, independent
 * of the engine. Polls every `intervalMs` until stopped; errors are counted, never thrown.
 */
export function startBlockClock(rpcUrl: string, { intervalMs = 20, onBlock }: { intervalMs?: number; onBlock?: (block: bigint) => void } = {}) {
  const seenAt = new Map<bigint, number>()
  let head: bigint | undefined
  let errors = 0
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      try {
        const number = BigInt((await rpcCall(rpcUrl, 'eth_blockNumber')) as string)
        const now = Date.now()
        if (head === undefined) head = number
        for (let n = head + 1n; n <= number; n++) {
          seenAt.set(n, now)
          onBlock?.(n)
        }
        if (number > head) head = number
      } catch {
        errors++
      }
      await new Promise((r) => setTimeout(r, intervalMs))
    }
  })()
  return {
    seenAt: seenAt as ReadonlyMap<bigint, number>,
    head: () => head,
    errors: () => errors,
    /** Resolves once the head is at least `block`, or rejects after `timeoutMs`. */
    async waitFor(block: bigint, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs
      while ((head ?? -1n) < block) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for block ${block} (head ${head})`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async stop() {
      stopped = true
      await loop
    },
  }
}

export type BlockClock = ReturnType<typeof startBlockClock>
