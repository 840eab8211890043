import { main } from './cli.js';
import { processIo } from './io.js';

// The `capstan` executable. A non-zero code set by a command (e.g. `capstan server` on bad flags) is kept.
const code = await main(process.argv.slice(2), processIo());
if (code !== 0) process.exitCode = code;
