/** Tiny datasets the tests write to a temp folder (MovieLens files themselves never enter the repo). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A fresh folder under the OS temp dir holding `files` (string = UTF-8, Uint8Array = raw bytes). */
export function fixtureDir(files: Record<string, string | Uint8Array>, name = 'fixture'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'factorlens-test-'));
  made.push(root);
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
  return dir;
}

export function tmpRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'factorlens-test-'));
  made.push(root);
  return root;
}

export function cleanupFixtures(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** u.item lines: id|title|date||url|19 flags. */
export function uItemLine(id: number, title: string, genres: number[] = [0]): string {
  const flags = Array.from({ length: 19 }, (_, g) => (genres.includes(g) ? '1' : '0'));
  return [String(id), title, '01-Jan-1995', '', 'http://example.invalid/', ...flags].join('|');
}

/** A small valid ML-100K-style folder; override any file. */
export function ml100kFixture(over: Record<string, string | Uint8Array> = {}): string {
  const uData = ['1\t1\t5\t881250949', '1\t2\t3\t881250950', '2\t1\t4\t881250951', '3\t3\t1\t881250952', '2\t3\t2\t881250953'].join('\n') + '\n';
  const uItem = latin1(
    [uItemLine(1, 'Toy Story (1995)', [3, 4, 5]), uItemLine(2, 'Misérables, Les (1995)', [8]), uItemLine(3, 'Babe (1995)')].join('\n') + '\n',
  );
  return fixtureDir({ 'u.data': uData, 'u.item': uItem, ...over }, 'ml-100k');
}

export interface LocalServer {
  /** http://127.0.0.1:PORT */
  base: string;
  /** Stops listening and drops open connections (a stalled transfer included). */
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 at a free port: the download tests' stand-in for GroupLens. */
export async function localServer(handler: http.RequestListener): Promise<LocalServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
