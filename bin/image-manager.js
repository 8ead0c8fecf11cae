#!/usr/bin/env node
import module from 'node:module';

// undici 8 needs Node 22.19 (package.json's engines, which npm only warns about): an older Node would fail
// somewhere inside it, so say what is wrong before anything loads.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `image-manager needs Node 22.19 or later; this is Node ${process.version}.\n` +
      'In a checkout, eval "$(bash scripts/node22.sh)" puts one first on PATH.\n',
  );
  process.exit(2);
}

// Node keeps the compiled code of the modules on disk between runs.
module.enableCompileCache();
// Imported after that, so that the cache covers it (a static import would load before this module runs).
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv);
