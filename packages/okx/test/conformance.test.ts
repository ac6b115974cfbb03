import { runAdapterConformance } from '@dccd/testkit/conformance'
import { exchange } from '../src/index.js'
import { conformanceOptions } from './conformance.options.js'

runAdapterConformance(exchange, conformanceOptions)
