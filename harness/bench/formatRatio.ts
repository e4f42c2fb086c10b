export type FormatRatioParameters = Readonly<Record<string, number | string | boolean>>
export type FormatRatioReturnType = string

const fixed = (value: unknown, digits: number) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : 'n/a')

/**
 * The ratio benchmark's headline as lines: per transport, Shepherd's and the floor's CPU per poll,
 * their ratio (of means, and of medians) against the target.
 *
 * @example
 * console.log(formatRatio({ watches: 2000, target: 1.2, ws: 1.4, wsMedian: 1.3, wsShepherdUsPerPoll: 42, wsFloorUsPerPoll: 30 }))
 */
export function formatRatio(headline: FormatRatioParameters): FormatRatioReturnType {
  const lines = [`Ratio against the floor: CPU per poll, ${String(headline.watches)} watches, answers ${String(headline.answer ?? '?')}, target <= ${String(headline.target)}x`]
  for (const transport of ['ws', 'http']) {
    if (typeof headline[transport] !== 'number') continue
    const ratio = headline[transport]
    lines.push(
      `  ${transport.padEnd(4)} shepherd ${fixed(headline[`${transport}ShepherdUsPerPoll`], 1)} us/poll, floor ${fixed(headline[`${transport}FloorUsPerPoll`], 1)} us/poll: ` +
        `${fixed(ratio, 2)}x (medians ${fixed(headline[`${transport}Median`], 2)}x) ${ratio <= Number(headline.target) ? 'within' : 'OVER'} target`,
    )
  }
  return lines.join('\n')
}
