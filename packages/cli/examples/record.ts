// The README example: runs `dccd record` from code and keeps its exit code.
import { main } from '@dccd/cli'

// Same as running `dccd record binance BTCUSDT --channels trades --duration 10s --out ./data`.
const code = await main(['record', 'binance', 'BTCUSDT', '--channels', 'trades', '--duration', '10s', '--out', './data'])
process.exitCode = code
