/**
 * The three rooms (STYLE.md): src/data imports neither tfjs nor React/Ink, and src/ui never loads tfjs —
 * followed through every value import, static or dynamic (type-only imports vanish at build).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

/** Value imports of one file: relative ones resolved to source files, packages by name. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...[...text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]),
    ...[...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]),
  ];
  return specs.map((s) => {
    if (!s.startsWith('.')) return s;
    const p = path.resolve(path.dirname(file), s);
    return [p.replace(/\.js$/, '.ts'), p.replace(/\.js$/, '.tsx')].find(existsSync) ?? p;
  });
}

/** Every package a file reaches, with the chain of files that leads there. */
function reachable(start: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of imports(file)) {
      if (path.isAbsolute(dep)) walk(dep, [...chain, path.relative(SRC, dep)]);
      else if (!found.has(dep)) found.set(dep, chain);
    }
  };
  walk(start, [path.relative(SRC, start)]);
  return found;
}

function violations(room: string, banned: (pkg: string) => boolean): string[] {
  return files(path.join(SRC, room)).flatMap((f) =>
    [...reachable(f)].filter(([pkg]) => banned(pkg)).map(([pkg, chain]) => `${chain.join(' → ')} → ${pkg}`),
  );
}

describe('layers', () => {
  it('src/data reaches neither tfjs nor React / Ink', () => {
    expect(violations('data', (p) => p.startsWith('@tensorflow/') || p === 'react' || p === 'ink')).toEqual([]);
  });

  it('src/ui never loads tfjs (the app starts without it; training runs in a worker)', () => {
    expect(violations('ui', (p) => p.startsWith('@tensorflow/'))).toEqual([]);
  });

  it('the check sees through files: src/model does reach tfjs', () => {
    expect(violations('model', (p) => p.startsWith('@tensorflow/')).length).toBeGreaterThan(0);
  });
});
