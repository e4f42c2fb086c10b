import { hashMessage, recoverAddress, recoverMessageAddress, slice, zeroAddress, type Address, type Hex } from 'viem'
import { keccak256Utf8 } from '../../modules/sdk/hash/keccak256.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import { judgeEip1271, judgeFunds, judgeValidTo } from './chainChecks.ts'
import { computeStubOrderUid } from './computeStubOrderUid.ts'
import type { OrderChainFacts } from './createChainReader.ts'
import { isCheckOn, type OrderCheckRejection, type OrderChecks } from './orderChecks.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { parseOrderCreation, type ParsedOrderCreation } from './parseOrderCreation.ts'
import { resolveOrderPolicy } from './orderPolicy.ts'
import { readProtocolAppData, type ProtocolAppData } from './readProtocolAppData.ts'
import { STUB_QUOTE_GAS, countOpenLimitOrders, isOutsideMarketPrice, judgeAppdataSigner, judgeBannedUser, judgeGas, judgeLimitOrderCount, judgeUnsupportedToken, quoteFor } from './policyChecks.ts'

/** A refusal; `invalidJson` marks a body that did not deserialize (answered with the extractor's body). */
export type PostRejection = OrderCheckRejection & { invalidJson?: boolean }

/**
 * What `inspect` learns from an order post before any knob looks at it: the parse, the owner (from
 * `from`, or recovered from an ECDSA signature), the UID, and an owner refusal kept for later, so
 * it is answered in the service's order (after app data).
 */
export type PreparedPost =
  | { ok: true; parsed: ParsedOrderCreation; owner: Address | null; uid: Hex | null; appDataHash: Hex; digest: Hex; ownerRefusal: PostRejection | null }
  | { ok: false; rejection: PostRejection }

const refusal = (errorType: string, description: string, status = 400): PostRejection => ({ status, errorType, description })

/**
 * Parses an order post and works out owner, digest and UID, as the service's `verify_owner`
 * does: `eip1271`/`presign` need `from` (`MissingFrom`); an ECDSA signature is recovered from the
 * digest (`eth_sign`: of the digest's personal-message hash) and, with the `signature` check on,
 * must recover to `from` (`WrongOwner`; `InvalidSignature` when it does not recover at all).
 *
 * @example
 * const prepared = await prepareOrderPost(stub, body)
 */
export async function prepareOrderPost(stub: OrderbookStub, body: unknown): Promise<PreparedPost> {
  const parsed = parseOrderCreation(body)
  if (!parsed.ok) return { ok: false, rejection: { status: parsed.status, errorType: parsed.errorType, description: parsed.description, invalidJson: true } }
  const order = parsed.value
  const appDataHash = 'hash' in order.appData ? order.appData.hash : keccak256Utf8(order.appData.document)
  const digest = slice(computeStubOrderUid(stub.domain, order, appDataHash, zeroAddress), 0, 32)
  let owner: Address | null = order.from
  let ownerRefusal: PostRejection | null = null
  const ecdsa = order.signingScheme === 'eip712' || order.signingScheme === 'ethsign'
  if (!ecdsa) {
    if (owner === null) ownerRefusal = refusal('MissingFrom', 'From address must be specified for on-chain signature')
  } else if (owner === null || isCheckOn(stub.knobs.checks, 'signature')) {
    let signer: Address | null = null
    try {
      signer =
        order.signingScheme === 'eip712'
          ? await recoverAddress({ hash: digest, signature: order.signature })
          : await recoverMessageAddress({ message: { raw: digest }, signature: order.signature })
    } catch {
      ownerRefusal = refusal('InvalidSignature', 'invalid signature')
    }
    if (signer !== null && owner === null) owner = signer
    else if (signer !== null && owner !== null && signer.toLowerCase() !== owner.toLowerCase()) {
      const message = order.signingScheme === 'eip712' ? digest : hashMessage({ raw: digest })
      ownerRefusal = refusal('WrongOwner', `recovered signer ${signer} from signing hash ${message} does not match from address`)
    }
  }
  const uid = owner === null ? null : computeStubOrderUid(stub.domain, order, appDataHash, owner)
  return { ok: true, parsed: order, owner, uid, appDataHash, digest, ownerRefusal }
}

/** A post that passed: the document to keep, and the chain checks that were on but could not run. */
export type ValidatedPost = { ok: true; fullAppData: string | null; unchecked: Array<keyof OrderChecks> }

/**
 * Validates a prepared post in the service's order (`validate_and_construct_order`, then the
 * insert): app data (with its `metadata` fields); owner (MissingFrom, InvalidSignature, WrongOwner,
 * AppdataFromMismatch); EIP-1271 at the head; ZeroAmount; Forbidden (banned owner or receiver);
 * buy destination, sell source; `validTo` against the head's timestamp; SameBuyAndSellToken;
 * UnsupportedToken; balance, allowance and transfer simulation at the head; NonZeroFee;
 * TooManyLimitOrders (open at the head's timestamp); TooMuchGas; DuplicatedOrder. The chain is read at most once per post (one `eth_call`), and only once the
 * chain-free refusals before EIP-1271 have passed. A node that fails answers 500, never a pass.
 *
 * @example
 * const checked = await validateOrderPost(stub, prepared)
 * if (!checked.ok) return { answer: apiErrorAnswer(checked.status, checked.errorType, checked.description) }
 */
export async function validateOrderPost(stub: OrderbookStub, post: Extract<PreparedPost, { ok: true }>): Promise<ValidatedPost | ({ ok: false } & PostRejection)> {
  const { parsed, appDataHash } = post
  const checks = stub.knobs.checks
  const no = (rejection: PostRejection) => ({ ok: false as const, ...rejection })
  let fullAppData: string | null = null
  if ('document' in parsed.appData) {
    if (parsed.appDataHash !== null && parsed.appDataHash !== appDataHash) {
      return no(refusal('AppDataHashMismatch', `appDataHash ${parsed.appDataHash} does not match keccak256(appData) ${appDataHash}`))
    }
    if (!isJsonObject(parsed.appData.document)) return no(refusal('InvalidAppData', 'appData is not a JSON object'))
    fullAppData = parsed.appData.document
  } else {
    fullAppData = stub.getAppData(appDataHash) ?? null
    if (fullAppData === null && stub.requireKnownAppData && appDataHash !== EMPTY_APP_DATA_HASH) {
      return no(refusal('InvalidAppData', `no app data document is known for hash ${appDataHash}`))
    }
  }
  // The service validates the protocol fields of whatever document it has (sent, or registered under the hash).
  let protocol: ProtocolAppData = { signer: null, hooksGas: 0n }
  if (fullAppData !== null) {
    const read = readProtocolAppData(fullAppData)
    if (!read.ok) return no(refusal('InvalidAppData', read.description))
    protocol = read.value
  }
  if (post.ownerRefusal) return no(post.ownerRefusal)
  const owner = post.owner!
  const uid = post.uid!
  if (isCheckOn(checks, 'appDataSigner')) {
    const refused = judgeAppdataSigner(owner, protocol.signer)
    if (refused) return no(refused)
  }
  const policy = resolveOrderPolicy(stub.knobs.policy)
  // The stub's own quote stands in for the service's: the market price for TooManyLimitOrders, the gas for TooMuchGas.
  const quote = quoteFor(parsed, stub.quotePrice)
  const limitOutsideMarket = parsed.feeAmount === 0n && quote !== null && isOutsideMarketPrice(parsed, quote)

  // What the chain checks need, read once.
  const scheme = parsed.signingScheme
  const wants = {
    eip1271: scheme === 'eip1271' && isCheckOn(checks, 'eip1271'),
    presign: scheme === 'presign' && isCheckOn(checks, 'presign') && !stub.hasPresignatureOverride(uid),
    validTo: isCheckOn(checks, 'validTo'),
    funds: scheme !== 'presign' && (isCheckOn(checks, 'balance') || isCheckOn(checks, 'allowance') || isCheckOn(checks, 'transferSimulation')),
    // Which orders are still open is judged at chain time, as validTo is.
    limitOrderCount: limitOutsideMarket && isCheckOn(checks, 'limitOrderCount'),
  }
  const unchecked: Array<keyof OrderChecks> = []
  let facts: OrderChainFacts | null = null
  if (stub.chain && (wants.eip1271 || wants.presign || wants.validTo || wants.funds || wants.limitOrderCount)) {
    try {
      facts = await stub.chain.readOrder({
        owner,
        sellToken: parsed.sellToken,
        uid,
        ...(wants.eip1271 ? { eip1271: { digest: post.digest, signature: parsed.signature } } : {}),
        presign: wants.presign,
        funds: wants.funds,
      })
    } catch {
      // The service answers a node failure during validation as an internal error.
      return no(refusal('InternalServerError', '', 500))
    }
  } else if (!stub.chain) {
    if (wants.eip1271) unchecked.push('eip1271')
    if (wants.presign) unchecked.push('presign')
    if (wants.validTo) unchecked.push('validTo')
    if (wants.funds) {
      for (const name of ['balance', 'allowance', 'transferSimulation'] as const) if (isCheckOn(checks, name)) unchecked.push(name)
    }
    if (wants.limitOrderCount) unchecked.push('limitOrderCount')
  }

  if (wants.eip1271 && facts) {
    const refused = judgeEip1271(facts.eip1271Valid === true, post.digest)
    if (refused) return no(refused)
  }
  if (parsed.sellAmount === 0n || parsed.buyAmount === 0n) return no(refusal('ZeroAmount', 'Buy or sell amount is zero.'))
  if (isCheckOn(checks, 'bannedUser')) {
    const refused = judgeBannedUser(owner, parsed.receiver, policy)
    if (refused) return no(refused)
  }
  if (isCheckOn(checks, 'buyTokenDestination') && parsed.buyTokenBalance !== 'erc20') {
    return no(refusal('UnsupportedBuyTokenDestination', `Type ${rustVariant(parsed.buyTokenBalance)}`))
  }
  if (isCheckOn(checks, 'sellTokenSource') && parsed.sellTokenBalance !== 'erc20') {
    return no(refusal('UnsupportedSellTokenSource', `Type ${rustVariant(parsed.sellTokenBalance)}`))
  }
  if (wants.validTo && facts) {
    const refused = judgeValidTo(parsed, facts.timestamp, stub.validity)
    if (refused) return no(refused)
  }
  if (parsed.sellToken === parsed.buyToken) return no(refusal('SameBuyAndSellToken', 'Buy token is the same as the sell token.'))
  if (isCheckOn(checks, 'unsupportedToken')) {
    const refused = judgeUnsupportedToken(parsed, policy)
    if (refused) return no(refused)
  }
  if (wants.funds && facts) {
    const refused = judgeFunds(facts, scheme, checks)
    if (refused) return no(refused)
  }
  if (isCheckOn(checks, 'nonZeroFee') && parsed.feeAmount !== 0n) return no(refusal('NonZeroFee', 'Fee must be zero'))
  if (wants.limitOrderCount && facts) {
    const refused = judgeLimitOrderCount(true, countOpenLimitOrders(stub.orders(), owner, facts.timestamp, stub.isCancelled), policy)
    if (refused) return no(refused)
  }
  // The service checks gas only when it has a quote (none when the price rounds a side to 0: NoLiquidity).
  if (isCheckOn(checks, 'gasLimit') && quote !== null) {
    const refused = judgeGas(STUB_QUOTE_GAS, protocol.hooksGas, policy)
    if (refused) return no(refused)
  }
  if (stub.getOrder(uid)) return no(refusal('DuplicatedOrder', 'order already exists'))
  if (wants.presign && facts?.presigned !== undefined) stub.internals.notePresignature(uid, facts.presigned)
  return { ok: true, fullAppData, unchecked }
}

// The service formats the refused balance with Rust's Debug of its enum: "Type External".
const rustVariant = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}
