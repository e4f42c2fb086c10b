// CPU cost of decoding one poll result:  node --import tsx modules/sdk/codecs/pollOutcome.bench.ts
// (process CPU time per call, so a busy neighbour on a shared machine skews it less than wall time)
import { encodeErrorResult, encodeFunctionResult, type Hex } from 'viem'
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

function time(label: string, inputs: Array<{ success: boolean; returnData: Hex }>) {
  for (const input of inputs.slice(0, 200)) decodePollResult(input)
  const start = process.cpuUsage()
  for (const input of inputs) decodePollResult(input)
  const used = process.cpuUsage(start)
  console.log(`${label.padEnd(40)} ${(((used.user + used.system) / inputs.length)).toFixed(1).padStart(6)} µs CPU per result`)
}

const N = Number(process.env.N ?? 5000)
// Fresh strings each time, as a node's answers are.
time('order return (1.2 KB signature)', Array.from({ length: N }, (_, i) => ({ success: true, returnData: `0x${orderData(i).slice(2)}` as Hex })))
time('PollTryAtEpoch revert', Array.from({ length: N }, (_, i) => ({ success: false, returnData: revert(i) })))
