// The toy adapter implements the contract correctly, so every clause must pass for it.
import { runAdapterConformance } from '../src/conformance/index.js'
import { toyExchange } from './support/toy-adapter.js'
import { toyOptions } from './support/toy-options.js'

runAdapterConformance(toyExchange(), toyOptions())
