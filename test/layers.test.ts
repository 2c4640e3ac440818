/**
 * The three rooms (STYLE.md): src/data imports neither tfjs nor React/Ink, and src/ui never loads tfjs —
 * followed through every value import, static or dynamic (type-only imports vanish at build).
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** The src/model files a file imports values from (type-only imports vanish at build). */
function reachableModelValues(file: string): string[] {
  return imports(file)
    .filter((d) => path.isAbsolute(d))
    .map((d) => path.relative(SRC, d))
    .filter((p) => p.startsWith('model' + path.sep));
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

/** Every import (value or type) of a file that lands in src/model, resolved to the file it names. */
function modelImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*)['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
  return specs
    .map((s) => path.relative(SRC, path.resolve(path.dirname(file), s)).replace(/\.js$/, '.ts'))
    .filter((p) => p.startsWith('model' + path.sep));
}

/** Files of a room that import src/model other than through the allowed doors. */
function sideDoors(room: string, allowed: (file: string, target: string) => boolean): string[] {
  return files(path.join(SRC, room)).flatMap((f) =>
    modelImports(f)
      .filter((t) => !allowed(path.relative(SRC, f), t))
      .map((t) => `${path.relative(SRC, f)} → ${t}`),
  );
}

/** The model kinds' names, read from the ModelKind union itself (so a new kind is covered at once). */
function kindNames(): string[] {
  const types = readFileSync(path.join(SRC, 'model', 'types.ts'), 'utf8');
  const union = /export type ModelKind = ([^;]+);/.exec(types)![1];
  return [...union.matchAll(/'([a-z]+)'/g)].map((m) => m[1]);
}

/**
 * Branches on a model kind's name — `o.model === 'nn'`, `w.kind !== 'dotbias'`, `case 'ease':` in a
 * switch on a model or kind — in files under `dirs` but outside src/model/models, each as "file:line".
 */
function kindBranches(files: string[], kinds: string[]): string[] {
  const name = `'(?:${kinds.join('|')})'`;
  const compare = new RegExp(`\\b(?:model|kind)\\s*[!=]==?\\s*${name}|${name}\\s*[!=]==?\\s*[\\w.?]*\\b(?:model|kind)\\b`);
  const found: string[] = [];
  for (const f of files) {
    const lines = readFileSync(f, 'utf8').split('\n');
    let inKindSwitch = false;
    lines.forEach((line, i) => {
      if (/switch\s*\([\w.?]*\b(?:model|kind)\)/.test(line)) inKindSwitch = true;
      const caseOfKind = inKindSwitch && new RegExp(`case\\s+${name}\\s*:`).test(line);
      if (compare.test(line) || caseOfKind) found.push(`${path.relative(SRC, f)}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('layers', () => {
  it('nothing outside src/model/models branches on a model kind\'s name: callers ask the kind', () => {
    const outside = files(SRC).filter((f) => !f.startsWith(path.join(SRC, 'model', 'models') + path.sep));
    expect(kindBranches(outside, kindNames())).toEqual([]);
  });

  it('the kind-branch check sees one when there is one (and the kind modules do use their names)', () => {
    const kinds = kindNames();
    expect(kinds).toEqual(expect.arrayContaining(['dot', 'dotbias', 'nn', 'itemknn', 'ease']));
    const planted = path.join(SRC, '..', 'test', 'layers.plant.tmp.ts');
    writeFileSync(planted, "if (o.model === 'nn') x();\nif ('ease' !== w.kind) y();\nswitch (opts.model) {\n  case 'itemknn':\n}\nif (block === 'warm') z();\n");
    try {
      expect(kindBranches([planted], kinds)).toHaveLength(3);
    } finally {
      rmSync(planted);
    }
  });

  it('src/data reaches neither tfjs nor React / Ink', () => {
    expect(violations('data', (p) => p.startsWith('@tensorflow/') || p === 'react' || p === 'ink')).toEqual([]);
  });

  it('src/ui never loads tfjs (the app starts without it; training runs in a worker)', () => {
    expect(violations('ui', (p) => p.startsWith('@tensorflow/'))).toEqual([]);
  });

  it('src/ui reaches src/model only through src/ui/services.ts, which takes values only from model/catalog.ts', () => {
    const valueTargets = reachableModelValues(path.join(SRC, 'ui/services.ts'));
    expect(valueTargets).toEqual(['model/catalog.ts']);
    expect(sideDoors('ui', (file) => file === path.join('ui', 'services.ts'))).toEqual([]);
  });

  it('src/cli reaches src/model only through model/index.ts (main.ts also starts the app: its Session and the version)', () => {
    const door = path.join('model', 'index.ts');
    const app = [path.join('model', 'runtime', 'session.ts'), path.join('model', 'snapshot', 'manifest.ts')];
    expect(sideDoors('cli', (file, target) => target === door || (file === path.join('cli', 'main.ts') && app.includes(target)))).toEqual([]);
  });

  it('the door checks see a side door when there is one', () => {
    expect(sideDoors('cli', () => false).length).toBeGreaterThan(0);
    expect(sideDoors('ui', () => false).length).toBeGreaterThan(0);
    expect(sideDoors('model', (_, t) => t === path.join('model', 'index.ts')).length).toBeGreaterThan(0);
  });

  it('the check sees through files: src/model does reach tfjs', () => {
    expect(violations('model', (p) => p.startsWith('@tensorflow/')).length).toBeGreaterThan(0);
  });
});
