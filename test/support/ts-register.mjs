// `node --import ./test/support/ts-register.mjs file.ts`: a child process of a test that runs the TypeScript
// sources as they are (see ts-hooks.mjs).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
