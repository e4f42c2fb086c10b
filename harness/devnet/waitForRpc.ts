export type WaitForRpcOptions = {
  timeoutMs: number
  /** Stop probing once this settles (the start failed or succeeded by other means). */
  until?: Promise<unknown>
  intervalMs?: number
}

/**
 * Probes `eth_chainId` until the node answers. Resolves true when it did, false on timeout or when
 * `until` settled first. Used where Anvil runs `--silent` and prints no "Listening on" line.
 *
 * @example
 * const ready = await waitForRpc('http://127.0.0.1:8545', { timeoutMs: 5_000 })
 */
export async function waitForRpc(url: string, options: WaitForRpcOptions): Promise<boolean> {
  const deadline = performance.now() + options.timeoutMs
  const intervalMs = options.intervalMs ?? 10
  let settled = false
  options.until?.then(
    () => (settled = true),
    () => (settled = true),
  )
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] })
  while (!settled && performance.now() < deadline) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      if (response.ok) {
        await response.arrayBuffer()
        return true
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  return false
}
