import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');

// A static import or re-export that stays in the emitted JavaScript: not `import type` / `export type`
// (verbatimModuleSyntax keeps `import { type X }`, as a bare import of its module).
const STATIC_IMPORT = /^(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?'([^']+)';/gms;

/** Every module the file loads before any of its code runs: its static imports, and theirs (not `import()`). */
function staticClosure(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'));
      else packages.add(specifier);
    }
  };
  visit(path.join(SRC, entry));
  return { files: [...files].map((file) => path.relative(SRC, file)).sort(), packages: [...packages].sort() };
}

describe('what a run loads before it does anything', () => {
  it('--help and --version: main, the option declarations and a few small modules, commander and no package else', () => {
    const { files, packages } = staticClosure('cli/main.ts');
    expect(files).toEqual([
      'cli/exit.ts',
      'cli/main.ts',
      'cli/options.ts',
      'cli/safe-text.ts',
      'net/redact.ts',
      'util/control-characters.ts',
    ]);
    // commander itself is required by options.ts (createRequire), not imported.
    expect(packages).toEqual(['node:fs', 'node:module']);
  });

  it('an action: pino, but neither the definitions nor the OpenStack client until it asks for them', () => {
    const { files, packages } = staticClosure('cli/actions.ts');
    expect(packages).toEqual(['pino']);
    expect(files.filter((file) => !file.startsWith('cli/'))).toEqual([
      'net/redact.ts',
      'openstack/errors.ts',
      'util/control-characters.ts',
    ]);
  });

  it('--check-only: the definitions and the SCS rules, without undici, the HTML parser or the OpenStack client', () => {
    const { files, packages } = staticClosure('cli/commands/selection.ts');
    expect(files).toContain('scs/definitions.ts');
    expect(files).toContain('definitions/load.ts');
    expect(packages).not.toContain('undici');
    expect(packages).not.toContain('htmlparser2');
    expect(files.filter((file) => /^openstack\/(http|identity|image|upload)\.ts$/.test(file))).toEqual([]);
    expect(files.filter((file) => /^(apply|plan\/plan|cli\/context)/.test(file))).toEqual([]);
  });
});
