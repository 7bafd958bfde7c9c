// Entry of the second process of cache-correctness (second-process.ts spawns it). Plain JavaScript
// so that Node runs it with no loader flag; it registers tsx, then runs the TypeScript main.
import { register } from 'tsx/esm/api';

register();
await import('./second-process-main.ts');
