/**
 * The value of one sample line (`name{labels} value`) of a Prometheus text exposition, for tests that
 * scrape a live engine's `/metrics`; undefined when the series is not there.
 *
 * @example
 * metricSample(await (await fetch(url)).text(), 'shepherd_store_size_bytes') // 1234567
 */
export function metricSample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}
