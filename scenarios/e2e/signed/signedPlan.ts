import type { SignedWorld } from './signedWorld.ts'
import { encodeFunctionData, parseEther, bytesToHex, type Address, type Hex } from 'viem'
import { randomBytes, randomInt } from 'node:crypto'
import { chainlinkAggregatorAbi, composableCowAbi, ethFlowAbi } from '../../../harness/devnet/abis.ts'
import { sepoliaAddresses } from '../../../harness/devnet/addresses.ts'
import { encodeTwapStaticInput } from '../../../harness/twap/model.ts'
import { e2eAccounts, e2ePrices } from '../triggers.ts'
import type { SignedAppData, SignedAppDataHashes } from './signedAppData.ts'

/** The actions of a signed run, in the order they are sent. */
export type ActionName = 'twap-create' | 'ethflow-place' | 'eth-transfer' | 'oracle-fall'

export type { SignedWorld } from './signedWorld.ts'

/** What each action sends: sizes differ between the devnet (free ETH) and a live testnet (real, if cheap, ETH). */
export type SignedPlan = {
  world: SignedWorld
  twap: { partSellAmount: bigint; n: bigint; t: bigint }
  ethFlowSellAmount: bigint
  transferValue: bigint
  /** The address balance-tracker watches: the ETH transfer goes there. */
  tracked: Address
  /** Devnet only: the oracle double's new answer (8 decimals). Undefined: no oracle action. */
  oracleFallTo: bigint | undefined
  /** The appData hash each order names (realistic documents, registered at the orderbook before the first trigger). */
  appData: SignedAppDataHashes
}

/** One transaction to sign: where, what, how much ETH. */
export type ActionRequest = { to: Address; data?: Hex; value?: bigint }

/** What an action's request is built from at send time (never on a resume: the journal has it). */
export type ActionContext = { account: Address; now: bigint }

export type PlannedAction = { name: ActionName; describe: string; build(context: ActionContext): ActionRequest }

export type SignedPlanParameters = {
  world: SignedWorld
  tracked?: Address | undefined
  /** The documents the TWAP and the EthFlow order name (`signedAppData()`): only their hashes go on chain. */
  appData: SignedAppData
}

/**
 * The plan of a signed run. On the devnet: the e2e scenario's sizes (3 TWAP parts 120 s (10 blocks) apart, 0.25 ETH
 * EthFlow, 2 ETH to the tracked address, the oracle falls to 1900). Live: small amounts (0.01 ETH each;
 * TWAP creation moves no funds) and no oracle action, since no one can move a real oracle.
 *
 * @example
 * const plan = signedPlan({ world: 'live', tracked: '0x00000000000000000000000000000000000e2e04', appData: await signedAppData() })
 * plan.oracleFallTo // undefined
 */
export function signedPlan({ world, tracked = e2eAccounts.tracked, appData }: SignedPlanParameters): SignedPlan {
  const hashes = { twap: appData.twap.hash, ethFlow: appData.ethFlow.hash }
  return world === 'devnet'
    ? { world, twap: { partSellAmount: parseEther('0.1'), n: 3n, t: 120n }, ethFlowSellAmount: parseEther('0.25'), transferValue: parseEther('2'), tracked, oracleFallTo: e2ePrices.fallTo, appData: hashes }
    : { world, twap: { partSellAmount: parseEther('0.001'), n: 3n, t: 120n }, ethFlowSellAmount: parseEther('0.01'), transferValue: parseEther('0.01'), tracked, oracleFallTo: undefined, appData: hashes }
}

/**
 * The plan's actions, each building its transaction from the key's account and the chain's time.
 * The TWAP salt is random, and the EthFlow order (validTo 30 min from now) gets a few random wei on
 * its amount, so a new run on the same chain never collides with an earlier one (EthFlow refuses a
 * second identical order: OrderIsAlreadyOwned).
 *
 * @example
 * const actions = plannedActions(signedPlan({ world: 'devnet', appData: await signedAppData() }))
 * actions.map((a) => a.name) // ['twap-create', 'ethflow-place', 'eth-transfer', 'oracle-fall']
 */
export function plannedActions(plan: SignedPlan): PlannedAction[] {
  const actions: PlannedAction[] = [
    {
      name: 'twap-create',
      describe: `ComposableCoW.create: a TWAP of ${plan.twap.n} parts, ${plan.twap.t} s apart, owned by the key's address, appData ${plan.appData.twap}`,
      build: ({ account, now }) => {
        const staticInput = encodeTwapStaticInput({
          sellToken: sepoliaAddresses.weth,
          buyToken: sepoliaAddresses.cowToken,
          receiver: account,
          partSellAmount: plan.twap.partSellAmount,
          minPartLimit: 1n,
          t0: now - 1n,
          n: plan.twap.n,
          t: plan.twap.t,
          span: 0n,
          appData: plan.appData.twap,
        })
        const params = { handler: sepoliaAddresses.twap, salt: bytesToHex(randomBytes(32)), staticInput }
        return { to: sepoliaAddresses.composableCow, data: encodeFunctionData({ abi: composableCowAbi, functionName: 'create', args: [params, true] }) }
      },
    },
    {
      name: 'ethflow-place',
      describe: `CoWSwapEthFlow.createOrder: sell ${plan.ethFlowSellAmount} wei of ETH for COW (value sent), appData ${plan.appData.ethFlow}`,
      build: ({ account, now }) => {
        // A few random wei make the order unique even when two runs build it in the same second.
        const sellAmount = plan.ethFlowSellAmount + BigInt(randomInt(1, 1_000_000))
        const order = { buyToken: sepoliaAddresses.cowToken, receiver: account, sellAmount, buyAmount: 1n, appData: plan.appData.ethFlow, feeAmount: 0n, validTo: Number(now) + 1800, partiallyFillable: false, quoteId: 1n }
        return { to: sepoliaAddresses.ethFlow, value: order.sellAmount + order.feeAmount, data: encodeFunctionData({ abi: ethFlowAbi, functionName: 'createOrder', args: [order] }) }
      },
    },
    {
      name: 'eth-transfer',
      describe: `${plan.transferValue} wei of ETH to the tracked address ${plan.tracked}`,
      build: () => ({ to: plan.tracked, value: plan.transferValue }),
    },
  ]
  if (plan.oracleFallTo !== undefined) {
    const answer = plan.oracleFallTo
    actions.push({
      name: 'oracle-fall',
      describe: `the oracle double's setAnswer(${answer}): below the stop-loss trigger and the price-alert threshold (devnet only)`,
      build: () => ({ to: sepoliaAddresses.chainlinkEthUsd, data: encodeFunctionData({ abi: chainlinkAggregatorAbi, functionName: 'setAnswer', args: [answer] }) }),
    })
  }
  return actions
}
