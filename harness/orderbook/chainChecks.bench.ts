// Order posts per second of the stub with and without the chain checks:
//   npx tsx harness/orderbook/chainChecks.bench.ts [--posts N] [--concurrency C]
//
// Starts a devnet, funds and approves one EOA, signs N distinct eip712 orders up front (signing is
// not timed), then posts them over HTTP (keep-alive fetch, C in flight) to a fresh stub per mode:
//   lax      no chain, signature check off: what the stub did before the chain checks
//   ecdsa    no chain, signature recovered and compared with `from`
//   strict   chain checks against the devnet: one eth_call per post (+ ECDSA)
//   lax1271 / strict1271   the same for eip1271 orders of a contract owner (the shape of TWAP parts:
//            no ECDSA; strict reads isValidSignature, balance, allowance and transfers in the one call)
// Prints posts/s and eth_calls per post for each mode.
import '../../engine/polyfills.ts'
import { parseArgs } from 'node:util'
import { slice, zeroAddress, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startDevnet } from '../devnet/startDevnet.ts'
import { computeStubOrderUid, orderDomain } from './computeStubOrderUid.ts'
import { createChainReader } from './createChainReader.ts'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import { parseOrderCreation } from './parseOrderCreation.ts'
import { serveOrderbookStub } from './serveOrderbookStub.ts'

const { values } = parseArgs({ options: { posts: { type: 'string' }, concurrency: { type: 'string' } } })
const posts = Number(values.posts ?? 2000)
const concurrency = Number(values.concurrency ?? 32)
const owner = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')

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

  for (const mode of ['lax', 'ecdsa', 'strict', 'lax1271', 'strict1271', 'lax', 'ecdsa', 'strict', 'lax1271', 'strict1271'] as const) {
    const chain = mode.startsWith('strict') ? createChainReader({ rpcUrl: net.rpcUrl }) : undefined
    const stub = createOrderbookStub({ ...(chain ? { chain } : {}), knobs: mode === 'lax' ? { checks: { signature: false } } : {} })
    const bodies = mode.endsWith('1271') ? bodies1271 : ecdsaBodies
    const server = await serveOrderbookStub(stub, { port: 0 })
    let next = 0
    let refused = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!
          const response = await fetch(`${server.baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          await response.arrayBuffer()
          if (response.status !== 201) refused++
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    console.log(`${mode.padEnd(10)} ${(posts / seconds).toFixed(0).padStart(6)} posts/s  (${posts} posts, ${refused} refused, ${chain ? (chain.calls / posts).toFixed(2) : '0'} eth_call per post)`)
    await server.close()
  }
} finally {
  await net.stop()
}
