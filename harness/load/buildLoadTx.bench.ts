// The load generator's hot path, per order built: `npm run bench -- load-tx`. At saturation it builds
// thousands of TWAP and EthFlow creations per second; this measures how many it can build on one core
// (what the appData mix must not slow down). BENCH_APP_DATA=mix gives each order a document of the mix.
import { Bench } from 'tinybench'
import { keccakReady } from '../../modules/sdk/hash/keccak256.ts'
import { benchOptions } from '../bench/benchOptions.ts'
import { defineBenchmark } from '../bench/defineBenchmark.ts'
import { rowsOf } from '../bench/rowsOf.ts'
import { sepoliaAddresses } from '../devnet/addresses.ts'
import { buildEthFlowCreate, buildTwapCreate, deriveSenders } from './buildLoadTx.ts'
import { buildLoadAppData, pickLoadAppData } from './loadAppData.ts'
import { resolveLoadOptions } from './loadOptions.ts'

export default defineBenchmark({
  name: 'load-tx',
  summary: 'Load generator: TWAP and EthFlow creation transactions built per second on one core',
  async run({ quick }) {
    const o = resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:1' })
    const [sender] = deriveSenders('bench', 1)
    const { composableCow, twap, ethFlow, weth, cowToken } = sepoliaAddresses
    const addresses = { composableCow, twap, ethFlow, weth, cowToken }
    // As in a running generator: the WebAssembly keccak is compiled (measured without it, the JS fallback dominates).
    await keccakReady
    const mix = process.env.BENCH_APP_DATA === 'mix' ? await buildLoadAppData() : []
    const appDataOf = (i: number) => (mix.length ? { appData: pickLoadAppData(mix, i).hash } : {})
    let twapNonce = 0
    let ethFlowNonce = 0
    const label = `appData ${mix.length ? 'mix' : 'empty'}`
    const bench = new Bench(benchOptions(quick, { iterations: 500, warmupIterations: 200 }))
      .add(`TWAP create (${label})`, () => {
        const i = twapNonce++
        buildTwapCreate({ sender: sender!, nonce: i, seed: 'bench', blockTimestamp: 1_700_000_000n, shape: o.twap, addresses, ...appDataOf(i) })
      })
      .add(`EthFlow create (${label})`, () => {
        const i = ethFlowNonce++
        buildEthFlowCreate({ sender: sender!, senderIndex: 0, nonce: i, baseAmount: 10n ** 15n, addresses, validTo: 1_700_001_800, ...appDataOf(i) })
      })
    await bench.run()
    return { rows: rowsOf(bench, { benchmark: 'load-tx', unit: 'tx' }) }
  },
})
