#!/usr/bin/env node
import module from 'node:module';

// Node 22.1 and later keep the compiled code of the modules on disk between runs; Node 20 has no such cache.
module.enableCompileCache?.();
// Imported after that, so that the cache covers it (a static import would load before this module runs).
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv);
