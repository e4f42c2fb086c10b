import { parseEther, type Address, type Hex } from 'viem'
import { buildLoadAppData, registerLoadAppData, type LoadAppDataDocument } from '../../harness/load/loadAppData.ts'
import type { Devnet } from '../../harness/devnet/startDevnet.ts'
import type { RecordEntry } from '../../harness/orderbook/createRequestRecord.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import type { ScenarioModule } from '../../harness/scenario/defineScenario.ts'
import { sepoliaAddresses } from '../../harness/devnet/addresses.ts'

/** The accounts of the e2e run: one per module, so each trigger is unambiguous in the evidence. */
export const e2eAccounts = {
  twapOwner: '0x00000000000000000000000000000000000e2e01',
  ethFlowSender: '0x00000000000000000000000000000000000e2e02',
  stopLossOwner: '0x00000000000000000000000000000000000e2e03',
  tracked: '0x00000000000000000000000000000000000e2e04',
  payer: '0x00000000000000000000000000000000000e2e05',
} as const satisfies Record<string, Address>

/** Prices in feed units: the oracle starts at 3000 and falls to 1900, below both. */
export const e2ePrices = { priceAlertThreshold: '2500', stopLossTrigger: '2000', fallTo: 1900_00000000n } as const

/** All five modules, configured for the devnet at its Sepolia addresses. */
export const e2eModules: ScenarioModule[] = [
  { name: 'twap-monitor' },
  { name: 'ethflow-watcher' },
  { name: 'price-alert', config: { threshold: e2ePrices.priceAlertThreshold, direction: 'below' } },
  { name: 'balance-tracker', config: { addresses: [e2eAccounts.tracked], threshold: parseEther('1').toString() } },
  {
    name: 'stop-loss',
    config: {
      triggerPrice: e2ePrices.stopLossTrigger,
      owner: e2eAccounts.stopLossOwner,
      sellToken: sepoliaAddresses.weth,
      buyToken: sepoliaAddresses.cowToken,
      sellAmount: parseEther('1').toString(),
      buyAmount: '1',
    },
  },
]

export type FiredTriggers = {
  twapCreatedBlock: bigint
  ethFlowUid: Hex
  oracleBlock: bigint
  transferBlock: bigint
  /** The appData documents the TWAP and the EthFlow order carry, registered at the orderbook before each exists on chain. */
  appData: { twap: LoadAppDataDocument; ethFlow: LoadAppDataDocument }
}

export type FireE2eTriggersParameters = {
  /** Where the appData documents are registered (`PUT /api/v1/app_data/{hash}`), as a client does before its order exists. */
  orderbookUrl: string
  /**
   * Chain seconds between the TWAP's 3 parts. Default 4 (a devnet whose blocks carry wall time, with
   * a stub whose minimum validity is lowered); the e2e scenario passes 120 (10 blocks of 12 s), so
   * each part has the 60 s the real orderbook asks when it is posted.
   */
  partSeconds?: number
}

/**
 * Fires one on-chain trigger per module: a TWAP is created (by an owner with EIP-1271 code, WETH and
 * an allowance, as a real one), an EthFlow order is placed, the oracle
 * falls below the stop-loss trigger and the price-alert threshold, and 2 ETH go to a tracked address.
 * The TWAP and the EthFlow order carry realistic appData (the load's mix: a partner fee and referrer,
 * and hooks), each registered at the orderbook first, as a client does.
 *
 * @example
 * const fired = await fireE2eTriggers(devnet, { orderbookUrl: orderbook.baseUrl })
 */
export async function fireE2eTriggers(net: Devnet, { orderbookUrl, partSeconds = 4 }: FireE2eTriggersParameters): Promise<FiredTriggers> {
  const mix = await buildLoadAppData()
  const appData = { twap: mix.find((d) => d.name === 'partner-fee-referrer')!, ethFlow: mix.find((d) => d.name === 'hooks')! }
  await registerLoadAppData({ orderbookUrl, documents: [appData.twap, appData.ethFlow] })
  for (const account of [e2eAccounts.twapOwner, e2eAccounts.ethFlowSender, e2eAccounts.payer]) await net.fund(account, parseEther('100'))
  // As real owners are: the TWAP owner a contract answering EIP-1271 through ComposableCoW, both owners
  // holding what their orders sell (3 parts of 0.1 WETH; the stop-loss 1 WETH, signed by PreSign, so no
  // code) with an allowance to the vault relayer. A strict orderbook refuses them otherwise.
  await net.prepareOwners({ owners: [e2eAccounts.twapOwner], sellToken: net.addresses.weth, balance: parseEther('0.3') })
  await net.prepareOwners({ owners: [e2eAccounts.stopLossOwner], sellToken: net.addresses.weth, balance: parseEther('1'), withCode: false })
  const latest = await net.client.getBlock()
  const twap = await net.createTwap({
    owner: e2eAccounts.twapOwner,
    params: {
      sellToken: net.addresses.weth,
      buyToken: net.addresses.cowToken,
      receiver: e2eAccounts.twapOwner,
      partSellAmount: parseEther('0.1'),
      minPartLimit: 1n,
      t0: latest.timestamp - 1n,
      n: 3n,
      t: BigInt(partSeconds),
      span: 0n,
      appData: appData.twap.hash,
    },
    wait: true,
  })
  const ethFlow = await net.placeEthFlowOrder({
    sender: e2eAccounts.ethFlowSender,
    order: {
      buyToken: net.addresses.cowToken,
      receiver: e2eAccounts.ethFlowSender,
      sellAmount: parseEther('0.25'),
      buyAmount: 1n,
      appData: appData.ethFlow.hash,
      feeAmount: 0n,
      // 30 min, as CoW Swap: the real orderbook refuses an EthFlow order valid for more than a year.
      validTo: Number(latest.timestamp) + 1800,
      partiallyFillable: false,
      quoteId: 1n,
    },
    wait: true,
  })
  const oracle = await net.setOraclePrice(e2ePrices.fallTo, { wait: true })
  await net.impersonate(e2eAccounts.payer)
  const hash = await net.client.sendTransaction({ account: e2eAccounts.payer, chain: null, to: e2eAccounts.tracked, value: parseEther('2') })
  const transfer = await net.client.waitForTransactionReceipt({ hash })
  return {
    twapCreatedBlock: twap.receipt!.blockNumber,
    ethFlowUid: ethFlow.orderUid,
    oracleBlock: oracle.receipt!.blockNumber,
    transferBlock: transfer.blockNumber,
    appData,
  }
}

/** The stop-loss order as the stub received it: a PreSign order from the stop-loss owner, accepted. */
export function stopLossPosts(record: readonly RecordEntry[]) {
  return record.filter((e) => {
    const body = e.body as { from?: string; signingScheme?: string } | undefined
    return isOrderPost(e) && body?.signingScheme === 'presign' && body.from?.toLowerCase() === e2eAccounts.stopLossOwner
  })
}
