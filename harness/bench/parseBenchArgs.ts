import { ShepherdError } from '../../modules/sdk/errors/base.ts'

export type BenchArgs = {
  /** Benchmarks to run, in the order given; empty: all. */
  names: string[]
  quick: boolean
  /** Where to write the JSON results; undefined: `reports/bench-<date>.json`. */
  out: string | undefined
  /** Only list the benchmarks. */
  list: boolean
}
export type ParseBenchArgsParameters = { argv: readonly string[]; known: readonly string[] }
export type ParseBenchArgsReturnType = BenchArgs

/**
 * Reads `npm run bench -- [names...] [--quick] [--out file.json] [--list]`. An unknown name or flag
 * is an error that lists what exists.
 *
 * @example
 * parseBenchArgs({ argv: ['uid', '--quick'], known: ['uid', 'ratio'] }) // { names: ['uid'], quick: true, out: undefined, list: false }
 */
export function parseBenchArgs({ argv, known }: ParseBenchArgsParameters): ParseBenchArgsReturnType {
  const args: BenchArgs = { names: [], quick: false, out: undefined, list: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--quick') args.quick = true
    else if (arg === '--list') args.list = true
    else if (arg === '--out' || arg.startsWith('--out=')) {
      const value = arg === '--out' ? argv[++i] : arg.slice('--out='.length)
      if (!value || value.startsWith('--'))
        throw new ShepherdError('npm run bench: --out needs a file', { details: [`found: ${value ?? 'nothing'}`], hint: 'e.g. npm run bench -- --out reports/bench.json' })
      args.out = value
    } else if (arg.startsWith('-'))
      throw new ShepherdError(`npm run bench: unknown option ${arg}`, { details: ['expected: --quick, --out <file.json>, --list, or benchmark names'] })
    else if (!known.includes(arg))
      throw new ShepherdError(`npm run bench: no benchmark named "${arg}"`, { details: [`expected one of: ${known.join(', ')}`] })
    else if (!args.names.includes(arg)) args.names.push(arg)
  }
  return args
}
