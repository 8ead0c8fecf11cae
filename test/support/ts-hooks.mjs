// Module hooks (registered by ts-register.mjs) that run the TypeScript sources as they are, without a build:
// a relative `./x.js` that names a `./x.ts` resolves to it, and every .ts file is transpiled, one file at a
// time (types removed), by the TypeScript the tests already have.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
  inlineSourceMap: true,
};

export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const { source } = await nextLoad(url, { ...context, format: 'module' });
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(String(source), { compilerOptions, fileName });
  return { format: 'module', source: outputText, shortCircuit: true };
}
