// CPU cost of decoding one poll result: `npm run bench -- poll-outcome` (process CPU time per
// result, so a busy neighbour on a shared machine skews it less than wall time).
import { Bench } from 'tinybench'
import { encodeErrorResult, encodeFunctionResult, type Hex } from 'viem'
import { benchOptions } from '../../../harness/bench/benchOptions.ts'
import { cpuTimed } from '../../../harness/bench/cpuTimed.ts'
import { defineBenchmark } from '../../../harness/bench/defineBenchmark.ts'
import { rowsOf } from '../../../harness/bench/rowsOf.ts'
import { getTradeableOrderWithSignatureFunction, pollErrorsAbi } from '../abi/composableCow.ts'
import { BALANCE_ERC20, ORDER_KIND_SELL } from '../orders/gpv2Order.ts'
import { decodePollResult } from './pollOutcome.ts'

const owner = '0x7bF140727D27ea64b607E042f1225680B40ECa6A' as const
// A TWAP part as ComposableCoW returns it for a plain owner: the signature is ~1.2 KB.
const signature = `0x${'ab'.repeat(1216)}` as Hex
const orderData = (i: number) =>
  encodeFunctionResult({
    abi: [getTradeableOrderWithSignatureFunction],
    functionName: 'getTradeableOrderWithSignature',
    result: [
      {
        sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
        buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
        receiver: owner,
        sellAmount: 10n ** 17n + BigInt(i),
        buyAmount: 1n,
        validTo: 1_700_003_599,
        appData: `0x${'11'.repeat(32)}`,
        feeAmount: 0n,
        kind: ORDER_KIND_SELL,
        partiallyFillable: false,
        sellTokenBalance: BALANCE_ERC20,
        buyTokenBalance: BALANCE_ERC20,
      },
      signature,
    ],
  })
const revert = (i: number) => encodeErrorResult({ abi: pollErrorsAbi, errorName: 'PollTryAtEpoch', args: [1_700_000_000n + BigInt(i), 'before twap start'] })

export default defineBenchmark({
  name: 'poll-outcome',
  summary: 'CPU to decode one poll answer: a tradeable order (1.2 KB signature) and a PollTryAtEpoch revert',
  async run({ quick }) {
    // Each iteration decodes a batch of fresh strings, as a node's answers are; the figures are per result.
    const batch = quick ? 500 : 2000
    const orders = Array.from({ length: batch }, (_, i) => ({ success: true, returnData: `0x${orderData(i).slice(2)}` as Hex }))
    const reverts = Array.from({ length: batch }, (_, i) => ({ success: false, returnData: revert(i) }))
    const bench = new Bench(benchOptions(quick, { iterations: 16 }))
      .add('order return (1.2 KB signature)', cpuTimed(() => orders.forEach((input) => decodePollResult(input))))
      .add('PollTryAtEpoch revert', cpuTimed(() => reverts.forEach((input) => decodePollResult(input))))
    await bench.run()
    return { rows: rowsOf(bench, { benchmark: 'poll-outcome', unit: 'result', clock: 'cpu', opsPerIteration: batch }) }
  },
})
