// Order posts per second of the stub with and without the chain checks: `npm run bench -- chain-checks`.
//
// Starts a devnet, funds and approves one EOA, signs distinct eip712 orders up front (signing is
// not timed), then posts them over HTTP (keep-alive fetch, 32 in flight) to a fresh stub per mode,
// each tinybench iteration a batch of 250 fresh orders (the stub refuses a duplicate):
//   lax      no chain, signature check off: what the stub did before the chain checks
//   ecdsa    no chain, signature recovered and compared with `from`
//   strict   chain checks against the devnet: one eth_call per post (+ ECDSA)
//   lax1271 / strict1271   the same for eip1271 orders of a contract owner (the shape of TWAP parts:
//            no ECDSA; strict reads isValidSignature, balance, allowance and transfers in the one call)
// Wall time per post, with eth_calls per post and refused posts as notes.
import '../../engine/polyfills.ts'
import { Bench } from 'tinybench'
import { slice, zeroAddress, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startDevnet } from '../devnet/startDevnet.ts'
import { computeStubOrderUid, orderDomain } from './computeStubOrderUid.ts'
import { createChainReader } from './createChainReader.ts'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import { parseOrderCreation } from './parseOrderCreation.ts'
import { serveOrderbookStub } from './serveOrderbookStub.ts'
import { benchOptions } from '../bench/benchOptions.ts'
import { defineBenchmark, type BenchRow } from '../bench/defineBenchmark.ts'
import { rowsOf } from '../bench/rowsOf.ts'

const concurrency = 32
const perIteration = 250
const owner = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')

const modes = ['lax', 'ecdsa', 'strict', 'lax1271', 'strict1271'] as const

export default defineBenchmark({
  name: 'chain-checks',
  summary: 'Order posts to the stub over HTTP, with and without its chain checks (ECDSA and EIP-1271 owners)',
  async run({ quick }) {
    const options = benchOptions(quick, { iterations: 4, timeMs: 0, warmupIterations: 1 })
    // Every iteration posts fresh orders: enough for the warm-up and the samples of one mode.
    const posts = perIteration * (options.iterations! + options.warmupIterations!)
    const net = await startDevnet({ log: () => {} })
    try {
      await net.fund(owner.address, 10n ** 19n)
      await net.wrapWeth(owner.address, 10n ** 18n, { mine: true })
      await net.approveVaultRelayer(owner.address, net.addresses.weth, undefined, { mine: true })
      // An EIP-1271 owner that accepts every signature, funded and approved while it was still a plain account.
      const contract = '0x0000000000000000000000000000000000c0de01'
      await net.fund(contract, 10n ** 19n)
      await net.wrapWeth(contract, 10n ** 18n, { mine: true })
      await net.approveVaultRelayer(contract, net.addresses.weth, undefined, { mine: true })
      await net.client.setCode({ address: contract, bytecode: '0x631626ba7e60e01b60005260206000f3' })
      const validTo = Number((await net.client.getBlock()).timestamp) + 3600
      const domain = orderDomain(11155111)
      const ecdsaBodies: string[] = []
      for (let i = 0; i < posts; i++) {
        const body = exampleOrderCreation({ owner: owner.address, validTo, signingScheme: 'eip712', sellAmount: String(1000 + i) })
        const parsed = parseOrderCreation({ ...body, signature: `0x${'00'.repeat(65)}` })
        if (!parsed.ok) throw new Error(parsed.description)
        const digest = slice(computeStubOrderUid(domain, parsed.value, (parsed.value.appData as { hash: Hex }).hash, zeroAddress), 0, 32)
        ecdsaBodies.push(JSON.stringify({ ...body, signature: await owner.sign({ hash: digest }) }))
      }
      const bodies1271 = Array.from({ length: posts }, (_, i) => JSON.stringify(exampleOrderCreation({ owner: contract, validTo, sellAmount: String(1000 + i) })))

      const rows: BenchRow[] = []
      for (const mode of modes) {
        const chain = mode.startsWith('strict') ? createChainReader({ rpcUrl: net.rpcUrl }) : undefined
        const stub = createOrderbookStub({ ...(chain ? { chain } : {}), knobs: mode === 'lax' ? { checks: { signature: false } } : {} })
        const bodies = mode.endsWith('1271') ? bodies1271 : ecdsaBodies
        const server = await serveOrderbookStub(stub, { port: 0 })
        let next = 0
        let sent = 0
        let refused = 0
        const batch = async () => {
          const end = next + perIteration
          if (end > bodies.length) throw new Error(`chain-checks: ran out of fresh orders (${bodies.length})`)
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              while (next < end) {
                const body = bodies[next++]!
                const response = await fetch(`${server.baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
                await response.arrayBuffer()
                sent++
                if (response.status !== 201) refused++
              }
            }),
          )
        }
        try {
          const bench = new Bench(options).add(mode, batch)
          await bench.run()
          rows.push(...rowsOf(bench, { benchmark: 'chain-checks', unit: 'post', opsPerIteration: perIteration, notes: { [mode]: { refused, ethCallsPerPost: chain ? Number((chain.calls / sent).toFixed(2)) : 0 } } }))
        } finally {
          await server.close()
        }
        if (refused > 0) throw new Error(`chain-checks: the ${mode} stub refused ${refused} of ${sent} valid posts`)
      }
      return { rows }
    } finally {
      await net.stop()
    }
  },
})
