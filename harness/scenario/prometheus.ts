/** One sample of a Prometheus text exposition. */
export type Sample = { name: string; labels: Record<string, string>; value: number }

const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/**
 * What one `/metrics` answer says: its samples, and the metric families it declares (`# TYPE` lines).
 * A family can be declared with no sample (a labelled counter never incremented): that is a measured
 * zero. A family that is not declared at all was not measured, and must never be read as 0.
 */
export type Exposition = { samples: Sample[]; families: ReadonlySet<string> }

const typeLine = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /

/**
 * Parses Prometheus text format into samples and declared families.
 *
 * @example
 * const { samples, families } = parseExposition(await (await fetch(`${url}/metrics`)).text())
 * families.has('shepherd_module_traps_total') // false: traps were not measured, not zero
 */
export function parseExposition(text: string): Exposition {
  const families = new Set<string>()
  for (const raw of text.split('\n')) {
    const declared = typeLine.exec(raw)
    if (declared) families.add(declared[1]!)
  }
  return { samples: parsePrometheus(text), families }
}

/** Parses Prometheus text format (what `/metrics` serves) into samples. Comments are skipped. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = []
  for (const raw of text.split('\n')) {
    if (!raw || raw.startsWith('#')) continue
    const match = line.exec(raw)
    if (!match) continue
    const labels: Record<string, string> = {}
    for (const pair of (match[3] ?? '').matchAll(labelPair)) labels[pair[1]!] = pair[2]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\')
    const value = match[4] === '+Inf' ? Infinity : match[4] === '-Inf' ? -Infinity : Number(match[4])
    samples.push({ name: match[1]!, labels, value })
  }
  return samples
}

const matches = (sample: Sample, labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => sample.labels[k] === v)

/** Sum of every sample of `name` whose labels include `labels`. */
export function sumOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && matches(s, labels)).reduce((total, s) => total + s.value, 0)
}

/** Distinct values of one label among samples of `name`. */
export function labelValues(samples: readonly Sample[], name: string, label: string): string[] {
  return [...new Set(samples.filter((s) => s.name === name && s.labels[label] !== undefined).map((s) => s.labels[label]!))]
}

export type HistogramSnapshot = { buckets: Array<{ le: number; count: number }>; sum: number; count: number }

/** A histogram's cumulative buckets, summed over samples matching `labels`. */
export function histogramOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): HistogramSnapshot {
  const byLe = new Map<number, number>()
  for (const s of samples)
    if (s.name === `${name}_bucket` && matches(s, labels)) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le)
      byLe.set(le, (byLe.get(le) ?? 0) + s.value)
    }
  const buckets = [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le)
  return { buckets, sum: sumOf(samples, `${name}_sum`, labels), count: sumOf(samples, `${name}_count`, labels) }
}

/** `after - before`, bucket by bucket: the observations made between two scrapes. */
export function histogramDelta(after: HistogramSnapshot, before: HistogramSnapshot | undefined): HistogramSnapshot {
  if (!before) return after
  const prior = new Map(before.buckets.map((b) => [b.le, b.count]))
  return {
    buckets: after.buckets.map((b) => ({ le: b.le, count: b.count - (prior.get(b.le) ?? 0) })),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  }
}

/**
 * The q-quantile of a histogram, interpolated linearly inside its bucket (as PromQL's
 * histogram_quantile does). Undefined when there are no observations.
 */
export function histogramQuantile(histogram: HistogramSnapshot, q: number): number | undefined {
  const total = histogram.buckets.at(-1)?.count ?? 0
  if (total <= 0) return undefined
  const rank = q * total
  let previousLe = 0
  let previousCount = 0
  for (const { le, count } of histogram.buckets) {
    if (count >= rank) {
      if (le === Infinity) return previousLe
      const inBucket = count - previousCount
      return inBucket <= 0 ? le : previousLe + ((le - previousLe) * (rank - previousCount)) / inBucket
    }
    previousLe = le
    previousCount = count
  }
  return previousLe
}

/** Exact quantile of raw values (nearest rank). */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}
