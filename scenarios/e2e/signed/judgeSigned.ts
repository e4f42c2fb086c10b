import type { Address, Hex } from 'viem'
import { EMPTY_APP_DATA_HASH } from '../../../modules/sdk/appData.ts'
import type { SignedSnapshot } from './takeSnapshot.ts'
import type { SignedWorld } from './signedPlan.ts'

/** What an order found at the orderbook carries, against what its creation named: intact, or what was found instead and why not. */
export type AppDataEvidence = { intact: boolean; found: string; why?: string }

/**
 * One TWAP part: its UID (reference model), what `GET /api/v1/orders/{uid}` said, the appData its TWAP
 * names on chain and, when found, what the orderbook's order carries; (devnet) the posts the stub saw.
 */
export type PartEvidence = { part: number; uid: Hex; start: string; orderbook: string; namedAppData: Hex; appData?: AppDataEvidence; posts?: { count: number; statuses: number[] } }

/** The mined transaction: hash, block, and what it cost the key (gas used x effective gas price, plus no value). */
type Mined = { hash: Hex; block: string; gasUsed?: string; feeWei?: string }

/** Terminal evidence per action, read from the chain (receipt logs), the orderbook and the metrics. */
export type ActionEvidence =
  | (Mined & { name: 'twap-create'; owner: Address; ownerHasCode: boolean; created: number; parts: PartEvidence[] })
  | (Mined & { name: 'ethflow-place'; placements: number; uid: Hex | undefined; orderbook: string; namedAppData: Hex | undefined; appData?: AppDataEvidence })
  | (Mined & { name: 'eth-transfer'; to: Address; valueWei: string })
  | (Mined & { name: 'oracle-fall'; answerUpdates: number })

export type SignedBarStatus = 'pass' | 'fail' | 'not applicable' | 'not measured'
export type SignedBar = { action: string; name: string; bar: string; measured: string; status: SignedBarStatus }

export type JudgeSignedParameters = {
  world: SignedWorld
  actions: readonly ActionEvidence[]
  before: SignedSnapshot
  after: SignedSnapshot
  /** The stop-loss module's owner: its new orders at the orderbook are the stop-loss evidence. */
  stopLossOwner: Address
}
export type JudgeSignedReturnType = { pass: boolean; bars: SignedBar[] }

/**
 * Why a TWAP owned by an EOA has no judgeable parts. ComposableCoW answers a non-Safe owner with the
 * ERC1271-forwarder signature, abi.encode(order, payload), for signing scheme eip1271 with from = owner;
 * the orderbook (and the settlement contract) verify it by calling isValidSignature on the owner, which
 * an address without code cannot answer: the real orderbook refuses every part (InvalidEip1271Signature).
 * The deployed ComposableCoW even reverts without data for such an owner once a part is due: its Safe
 * probe is a try-call expecting an answer, and decoding the empty answer of an address without code
 * fails outside the try's reach (checked with solc 0.8.37 on Anvil). twap-monitor reads that as an
 * unreadable poll, backs off and removes the watch after `maxUnknownPolls`. Our ComposableCoW double
 * reverts the same way; `shepherd e2e --devnet` gives the key's address the ForwarderOwner runtime, so
 * its parts are judged there.
 */
export const eoaTwapReason =
  'the TWAP owner is an EOA (the key\'s address): its parts carry an EIP-1271 signature the orderbook checks by calling isValidSignature on the owner, which an address without code cannot answer, so a real orderbook refuses every part (InvalidEip1271Signature); only the creation is judged'

const appDataBar = 'the creation on chain names a non-empty appData document, and the order at the orderbook carries that hash with its document'
const named = (hash: Hex | undefined) => (hash === undefined ? 'nothing' : hash.toLowerCase() === EMPTY_APP_DATA_HASH ? `the empty document ${hash.slice(0, 10)}…` : `${hash.slice(0, 10)}…`)

/** "TWAP appData intact": every part found at the orderbook carries the document its TWAP named; none found: not measured (an EOA owner: not applicable). */
function twapAppDataBar(action: Extract<ActionEvidence, { name: 'twap-create' }>): SignedBar {
  const base = { action: action.name, name: 'TWAP appData intact', bar: appDataBar }
  const first = action.parts[0]
  if (first === undefined) return action.ownerHasCode ? { ...base, measured: 'not measured: no part due', status: 'not measured' } : { ...base, measured: `no part due (not judged: ${eoaTwapReason})`, status: 'not applicable' }
  if (first.namedAppData.toLowerCase() === EMPTY_APP_DATA_HASH) return { ...base, measured: `the TWAP names ${named(first.namedAppData)}`, status: 'fail' }
  const found = action.parts.filter((p) => p.appData !== undefined)
  if (found.length === 0) return { ...base, measured: `no part found at the orderbook${action.ownerHasCode ? '' : ` (not judged: ${eoaTwapReason})`}`, status: action.ownerHasCode ? 'not measured' : 'not applicable' }
  const bad = found.filter((p) => !p.appData!.intact)
  const shown = bad.slice(0, 2).map((p) => `#${p.part} ${p.appData!.why} (found ${p.appData!.found.slice(0, 10)}…)`)
  return { ...base, measured: `names ${named(first.namedAppData)}; ${found.length - bad.length}/${found.length} found parts intact${shown.length ? `; ${shown.join('; ')}` : ''}`, status: bad.length === 0 ? 'pass' : 'fail' }
}

/** "EthFlow appData intact": the order found at the orderbook carries the document its OrderPlacement named. */
function ethFlowAppDataBar(action: Extract<ActionEvidence, { name: 'ethflow-place' }>): SignedBar {
  const base = { action: action.name, name: 'EthFlow appData intact', bar: appDataBar }
  if (action.namedAppData === undefined || action.appData === undefined) return { ...base, measured: `not measured: ${action.namedAppData === undefined ? 'no placement in the receipt' : `order ${action.orderbook}`}`, status: 'not measured' }
  if (action.namedAppData.toLowerCase() === EMPTY_APP_DATA_HASH) return { ...base, measured: `the placement names ${named(action.namedAppData)}`, status: 'fail' }
  return { ...base, measured: `names ${named(action.namedAppData)}; ${action.appData.intact ? 'intact' : `${action.appData.why} (found ${action.appData.found.slice(0, 10)}…)`}`, status: action.appData.intact ? 'pass' : 'fail' }
}

const metricDelta = (before: SignedSnapshot, after: SignedSnapshot, module: string): number | string => {
  if ('error' in after.metrics) return `metrics not read at the end: ${after.metrics.error}`
  if ('error' in before.metrics) return `metrics not read at the start: ${before.metrics.error}`
  return (after.metrics.alertsByModule[module] ?? 0) - (before.metrics.alertsByModule[module] ?? 0)
}

/**
 * Judges a signed run from its evidence: each action's terminal marker, read at the orderbook and in
 * the metrics as deltas between the snapshots at start and end (so alerts and orders from before the
 * run, or from an earlier attempt of it, do not count). PASS when every bar passes or does not apply;
 * a bar that could not be measured fails the run.
 *
 * @example
 * const { pass, bars } = judgeSigned({ world: 'devnet', actions, before, after, stopLossOwner })
 */
export function judgeSigned({ actions, before, after, stopLossOwner }: JudgeSignedParameters): JudgeSignedReturnType {
  const bars: SignedBar[] = []
  for (const action of actions) {
    switch (action.name) {
      case 'twap-create': {
        bars.push({ action: action.name, name: 'TWAP created once', bar: 'exactly one ConditionalOrderCreated from the key\'s address in the transaction', measured: `${action.created}`, status: action.created === 1 ? 'pass' : 'fail' })
        const found = action.parts.filter((p) => p.orderbook === 'found').length
        if (!action.ownerHasCode) {
          bars.push({ action: action.name, name: 'TWAP parts accepted', bar: 'every due part found at the orderbook', measured: `${found} of ${action.parts.length} found (not judged: ${eoaTwapReason})`, status: 'not applicable' })
        } else {
          bars.push({ action: action.name, name: 'TWAP parts accepted', bar: 'every due part found at the orderbook', measured: `${found} of ${action.parts.length} found`, status: action.parts.length > 0 && found === action.parts.length ? 'pass' : 'fail' })
        }
        bars.push(twapAppDataBar(action))
        if (action.parts.some((p) => p.posts !== undefined)) {
          const posted = action.parts.filter((p) => (p.posts?.count ?? 0) > 0).length
          bars.push({ action: action.name, name: 'twap-monitor posted each due part', bar: 'a POST of every due part UID in the stub\'s record (whatever the answer)', measured: `${posted} of ${action.parts.length} posted`, status: action.parts.length > 0 && posted === action.parts.length ? 'pass' : 'fail' })
        }
        break
      }
      case 'ethflow-place':
        bars.push({ action: action.name, name: 'EthFlow order at the orderbook', bar: 'one OrderPlacement in the transaction, its UID found by GET /api/v1/orders/{uid}', measured: `${action.placements} placement(s), ${action.orderbook}`, status: action.placements === 1 && action.orderbook === 'found' ? 'pass' : 'fail' })
        bars.push(ethFlowAppDataBar(action))
        break
      case 'eth-transfer': {
        const delta = metricDelta(before, after, 'balance-tracker')
        bars.push({ action: action.name, name: 'balance-tracker alerted', bar: 'at least one new balance-change alert', measured: typeof delta === 'number' ? `${delta} alerts` : delta, status: typeof delta !== 'number' ? 'not measured' : delta >= 1 ? 'pass' : 'fail' })
        break
      }
      case 'oracle-fall': {
        const delta = metricDelta(before, after, 'price-alert')
        bars.push({ action: action.name, name: 'price-alert alerted once', bar: 'exactly one new price-threshold alert', measured: typeof delta === 'number' ? `${delta} alerts` : delta, status: typeof delta !== 'number' ? 'not measured' : delta === 1 ? 'pass' : 'fail' })
        const key = stopLossOwner.toLowerCase() as Address
        const ownerOrders = (s: SignedSnapshot) => ('error' in s.orderbook ? undefined : Object.entries(s.orderbook.ordersByOwner).find(([o]) => o.toLowerCase() === key)?.[1])
        const [was, is] = [ownerOrders(before), ownerOrders(after)]
        if (was === undefined || is === undefined) bars.push({ action: action.name, name: 'stop-loss order accepted', bar: 'exactly one new order of the stop-loss owner at the orderbook', measured: 'orderbook not read', status: 'not measured' })
        else {
          const fresh = is.filter((uid) => !was.includes(uid)).length
          bars.push({ action: action.name, name: 'stop-loss order accepted', bar: 'exactly one new order of the stop-loss owner at the orderbook', measured: `${fresh} new`, status: fresh === 1 ? 'pass' : 'fail' })
        }
        bars.push({ action: action.name, name: 'oracle fell', bar: 'one AnswerUpdated in the transaction', measured: `${action.answerUpdates}`, status: action.answerUpdates === 1 ? 'pass' : 'fail' })
        break
      }
    }
  }
  return { pass: bars.every((b) => b.status === 'pass' || b.status === 'not applicable'), bars }
}
