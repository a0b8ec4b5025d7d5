// The engine side of `npm run bench:train`, in its own process so its peak RSS is its own.
import { main } from './train.js';

process.exitCode = await main(['--engine-child', ...process.argv.slice(2)]);
