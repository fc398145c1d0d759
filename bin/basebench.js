#!/usr/bin/env node
// The basebench command: runs the TypeScript sources through tsx (a dependency), so a clone
// needs no build step: `npx basebench bench`, or `npm run bench`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
