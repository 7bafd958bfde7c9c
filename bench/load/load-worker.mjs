// Entry of a load worker thread (see worker-pool.ts). Plain JavaScript so that Node loads it with
// no loader, under the CLI and under vitest alike; it registers tsx in this thread (loader hooks
// are per thread in Node 20), then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./load-worker-main.ts');
