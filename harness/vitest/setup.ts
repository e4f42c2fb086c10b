// vitest setup file (see shepherdVitest): registers the scenario matchers in every test file.
import { expect } from 'vitest'
import { shepherdMatchers } from './matchers.ts'

expect.extend(shepherdMatchers)
