export type SplitBySizeParameters<item> = {
  /** Encoded bytes of one item. */
  sizeOf: (item: item) => number
  /** Largest group: its items' bytes plus `overheadBytes` plus `separatorBytes` between items. */
  maxBytes: number
  /** Most items per group. */
  maxCount?: number
  /** Bytes every group costs besides its items (an envelope, brackets). */
  overheadBytes?: number
  /** Bytes between two items (a comma in a JSON array). */
  separatorBytes?: number
}

/**
 * The one splitting rule for what goes to a node: items in order, grouped greedily so that each
 * group's encoded size stays within `maxBytes` (and its count within `maxCount`). An item too big on
 * its own gets a group of its own: the node's answer then decides (see `isTooLargeAnswer`).
 * Used for JSON-RPC batch bodies over HTTP and for the inner calls of Multicall3 `aggregate3`.
 *
 * @example
 * splitBySize(['aa', 'bbbb', 'cc'], { sizeOf: (s) => s.length, maxBytes: 6 }) // [['aa', 'bbbb'], ['cc']]
 */
export function splitBySize<item>(items: readonly item[], { sizeOf, maxBytes, maxCount = Infinity, overheadBytes = 0, separatorBytes = 0 }: SplitBySizeParameters<item>): item[][] {
  const groups: item[][] = []
  let group: item[] = []
  let bytes = overheadBytes
  for (const item of items) {
    const size = sizeOf(item)
    const added = group.length === 0 ? size : size + separatorBytes
    if (group.length > 0 && (bytes + added > maxBytes || group.length >= maxCount)) {
      groups.push(group)
      group = []
      bytes = overheadBytes + size
    } else bytes += added
    group.push(item)
  }
  if (group.length > 0) groups.push(group)
  return groups
}
