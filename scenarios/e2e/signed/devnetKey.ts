import { bytesToHex, type Hex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'

/** Anvil's default mnemonic: every fresh Anvil funds its first 10 accounts with 10,000 ETH each. */
const anvilMnemonic = 'test test test test test test test test test test test junk'

/**
 * The private key of one of Anvil's funded default accounts (index 7 by default: nothing else in the
 * harness sends from it, so its nonce counts only the signed e2e's transactions). Public knowledge:
 * never use it on a real network.
 *
 * @example
 * const key = devnetPrivateKey() // 0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356
 */
export function devnetPrivateKey(addressIndex = 7): Hex {
  const key = mnemonicToAccount(anvilMnemonic, { addressIndex }).getHdKey().privateKey
  if (!key) throw new Error(`no private key derived for Anvil account ${addressIndex}`)
  return bytesToHex(key)
}
