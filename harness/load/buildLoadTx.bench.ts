// The load generator's hot path, per order built: `npx tsx harness/load/buildLoadTx.bench.ts`.
// At saturation it builds thousands of TWAP and EthFlow creations per second; this measures how many
// it can build on one core (what the appData mix must not slow down).
import { sepoliaAddresses } from '../devnet/addresses.ts'
import { buildEthFlowCreate, buildTwapCreate, deriveSenders } from './buildLoadTx.ts'
import { resolveLoadOptions } from './loadOptions.ts'
import { buildLoadAppData, pickLoadAppData } from './loadAppData.ts'
import { keccakReady } from '../../modules/sdk/hash/keccak256.ts'

const N = Number(process.env.N ?? 20_000)
const o = resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:1' })
const [sender] = deriveSenders('bench', 1)
const { composableCow, twap, ethFlow, weth, cowToken } = sepoliaAddresses
const addresses = { composableCow, twap, ethFlow, weth, cowToken }
// As in a running generator: the WebAssembly keccak is compiled (measured without it, the JS fallback dominates).
await keccakReady
// APP_DATA=mix gives each order a document of the mix, as runLoad does with `appData` set.
const mix = process.env.APP_DATA === 'mix' ? await buildLoadAppData() : []
const appDataOf = (i: number) => (mix.length ? { appData: pickLoadAppData(mix, i).hash } : {})
for (let round = 0; round < 3; round++) {
  let t = performance.now()
  for (let i = 0; i < N; i++) buildTwapCreate({ sender: sender!, nonce: i, seed: 'bench', blockTimestamp: 1_700_000_000n, shape: o.twap, addresses, ...appDataOf(i) })
  const twapMs = performance.now() - t
  t = performance.now()
  for (let i = 0; i < N; i++) buildEthFlowCreate({ sender: sender!, senderIndex: 0, nonce: i, baseAmount: 10n ** 15n, addresses, validTo: 1_700_001_800, ...appDataOf(i) })
  const ethFlowMs = performance.now() - t
  console.log(`round ${round}: TWAP ${Math.round((N / twapMs) * 1000)}/s, EthFlow ${Math.round((N / ethFlowMs) * 1000)}/s (${N} each, appData ${mix.length ? 'mix' : 'empty'})`)
}
