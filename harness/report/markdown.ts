// Markdown pieces the report is built from.

/**
 * A markdown table (pipes and newlines inside cells escaped), followed by a blank line.
 *
 * @example
 * table(['bar', 'measured'], [['Duplicates', '0']]) // ['| bar | measured |', '|---|---|', '| Duplicates | 0 |', '']
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cell = (value: string) => value.replaceAll('|', '\\|').replaceAll('\n', ' ')
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`), '']
}

/**
 * A titled list of UIDs (optionally with a suffix each), cut after `limit` with "... and N more".
 * Nothing when the list is empty.
 *
 * @example
 * uidList('Missing TWAP parts', ['0xab...'], 20)
 */
export function uidList(title: string, items: readonly (string | readonly [string, string])[], limit: number): string[] {
  if (items.length === 0) return []
  const shown = items.slice(0, limit).map((item) => (typeof item === 'string' ? `- \`${item}\`` : `- \`${item[0]}\`${item[1]}`))
  if (items.length > limit) shown.push(`- ... and ${items.length - limit} more (all in the JSON)`)
  return [`${title} (${items.length}):`, '', ...shown, '']
}

/**
 * The line under a section heading that says where its numbers come from, then a blank line.
 *
 * @example
 * source("the stub's record of every request") // ["*Source: the stub's record of every request*", '']
 */
export function source(text: string): string[] {
  return [`*Source: ${text}*`, '']
}

/**
 * `part / whole` as a percentage with one decimal, or n/a for nothing.
 *
 * @example
 * percent(1, 3) // '33.3%'
 * percent(0, 0) // 'n/a'
 */
export function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`
}

/**
 * An integer as is, anything else to two decimals.
 *
 * @example
 * fixed(42) // '42'
 * fixed(3.14159) // '3.14'
 */
export function fixed(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2)
}

/**
 * A count with its noun, singular for one: "1 order", "2 orders" (`nouns` for an irregular plural).
 *
 * @example
 * plural(1, 'order') // '1 order'
 * plural(2, 'order') // '2 orders'
 * plural(0, 'reply', 'replies') // '0 replies'
 */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`
}
