#!/usr/bin/env node
// Entry point of the `rpb` bin: TypeScript runs through tsx's loader, so `npx rpb` works right
// after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
