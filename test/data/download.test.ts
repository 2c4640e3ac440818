/** The downloader end to end against a 127.0.0.1 server serving the shared ml-100k.zip. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { testZipPath } from '../helpers/data.js';
import { DownloadError, downloadDataset, loadDataset } from '../../src/data/index.js';
import { cleanupFixtures, tmpRoot, localServer, type LocalServer } from './fixtures.js';

let zip: Buffer;
let server: LocalServer;
let base: string;
let hits = 0;

beforeAll(async () => {
  zip = readFileSync(testZipPath());
  server = await localServer((req, res) => {
    hits++;
    const [, mode] = (req.url ?? '').split('/');
    const send = (body: Buffer, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/zip', 'content-length': body.length });
      res.end(body);
    };
    switch (mode) {
      case 'ok':
        return send(zip);
      case 'error':
        return send(Buffer.from('oops'), 500);
      case 'drop': {
        // promise the whole zip, send half, then cut the connection
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length });
        res.write(zip.subarray(0, zip.length >> 1), () => res.socket?.destroy());
        return;
      }
      case 'stall':
        res.writeHead(200, { 'content-length': zip.length });
        res.write(zip.subarray(0, 1000));
        return; // never finishes
      case 'truncated':
        return send(zip.subarray(0, Math.floor(zip.length * 0.6)));
      case 'garbled': {
        const bad = Buffer.from(zip);
        for (let i = 200_000; i < 260_000; i++) bad[i] ^= 0x5a;
        return send(bad);
      }
      case 'html':
        return send(Buffer.from('<html><body>Moved</body></html>'));
      default:
        return send(Buffer.from('not found'), 404);
    }
  });
  base = server.base;
});

afterAll(async () => {
  await server.close();
  cleanupFixtures();
});

async function failure(mode: string, extra: Parameters<typeof downloadDataset>[1] = {}): Promise<{ err: DownloadError; dest: string }> {
  const dest = tmpRoot();
  try {
    await downloadDataset('ml-100k', { baseUrl: `${base}/${mode}/`, dest, ...extra });
  } catch (err) {
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).name).toBe('DownloadError');
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(/To proceed: download .*ml-100k\.zip by hand, unzip it, and pass --data/);
    // nothing half-written: no dataset folder, no temp zip, no partial folder
    expect(readdirSync(dest)).toEqual([]);
    return { err: err as DownloadError, dest };
  }
  throw new Error(`expected the ${mode} download to fail`);
}

describe('downloadDataset', () => {
  it('downloads, unzips, verifies and moves the dataset into place', async () => {
    const dest = tmpRoot();
    const progress: [number, number | null][] = [];
    const dir = await downloadDataset('ml-100k', { baseUrl: `${base}/ok`, dest, onProgress: (r, t) => progress.push([r, t]) });
    expect(dir).toBe(path.join(dest, 'ml-100k'));
    expect(readdirSync(dest)).toEqual(['ml-100k']);
    expect(existsSync(path.join(dir, 'u1.base'))).toBe(true);
    expect(progress.at(-1)).toEqual([zip.length, zip.length]);
    const ds = await loadDataset(dir);
    expect([ds.nRatings, ds.nUsers, ds.nItems]).toEqual([100000, 943, 1682]);
  });

  it('returns an existing dataset untouched, and replaces an older copy of it with force', async () => {
    const dest = tmpRoot();
    const dir = path.join(dest, 'ml-100k');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'u.data'), 'old');
    const before = hits;
    expect(await downloadDataset('ml-100k', { baseUrl: `${base}/ok/`, dest })).toBe(dir);
    expect(hits).toBe(before);
    await downloadDataset('ml-100k', { baseUrl: `${base}/ok/`, dest, force: true });
    expect(readFileSync(path.join(dir, 'u.data'), 'utf8')).not.toBe('old');
    expect(readdirSync(dest)).toEqual(['ml-100k']);
  });

  it('never replaces a folder holding anything the dataset does not (someone\'s files), nor a symlink', async () => {
    const dest = tmpRoot();
    const dir = path.join(dest, 'ml-100k');
    mkdirSync(path.join(dir, 'mine'), { recursive: true });
    writeFileSync(path.join(dir, 'u.data'), 'old');
    writeFileSync(path.join(dir, 'mine', 'notes.txt'), 'keep');
    await expect(downloadDataset('ml-100k', { baseUrl: `${base}/ok/`, dest, force: true })).rejects.toThrow(
      /ml-100k holds "mine\/", "mine\/notes\.txt", which the dataset does not: factorlens replaces only a copy of the dataset and left this folder as it is/,
    );
    expect(readFileSync(path.join(dir, 'mine', 'notes.txt'), 'utf8')).toBe('keep');
    expect(readFileSync(path.join(dir, 'u.data'), 'utf8')).toBe('old');
    expect(readdirSync(dest)).toEqual(['ml-100k']); // no temporary left
    const other = tmpRoot();
    mkdirSync(path.join(other, 'real'));
    symlinkSync(path.join(other, 'real'), path.join(other, 'ml-100k'));
    await expect(downloadDataset('ml-100k', { baseUrl: `${base}/ok/`, dest: other, force: true })).rejects.toThrow(/ml-100k is a symbolic link, which factorlens does not replace/);
    expect(readdirSync(other).sort()).toEqual(['ml-100k', 'real']);
  });

  it('keeps the old dataset when a forced download fails', async () => {
    const dest = tmpRoot();
    mkdirSync(path.join(dest, 'ml-100k'));
    writeFileSync(path.join(dest, 'ml-100k', 'marker'), 'old');
    await expect(downloadDataset('ml-100k', { baseUrl: `${base}/drop/`, dest, force: true })).rejects.toThrow(DownloadError);
    expect(readdirSync(dest)).toEqual(['ml-100k']);
    expect(readFileSync(path.join(dest, 'ml-100k', 'marker'), 'utf8')).toBe('old');
  });

  it('uses FACTORLENS_DOWNLOAD_URL when no base URL is given', async () => {
    const dest = tmpRoot();
    process.env.FACTORLENS_DOWNLOAD_URL = `${base}/ok/`;
    try {
      expect(await downloadDataset('ml-100k', { dest })).toBe(path.join(dest, 'ml-100k'));
    } finally {
      delete process.env.FACTORLENS_DOWNLOAD_URL;
    }
  });

  it('reports an HTTP error', async () => {
    const { err } = await failure('error');
    expect(err.message).toMatch(/^the server answered HTTP 500 Internal Server Error for http:\/\/127\.0\.0\.1:\d+\/error\/ml-100k\.zip\./);
  });

  it('reports a transfer interrupted mid-body', async () => {
    const { err } = await failure('drop');
    expect(err.message).toMatch(/^download interrupted after [\d.]+ MB of [\d.]+ MB/);
  });

  it('reports a stalled transfer', async () => {
    const { err } = await failure('stall', { idleTimeoutMs: 300 });
    expect(err.message).toMatch(/download interrupted after 1 KB of [\d.]+ MB \(stalled: no data for 0 s\)/);
  });

  it('reports a truncated zip as corrupt', async () => {
    const { err } = await failure('truncated');
    expect(err.message).toMatch(/^the downloaded zip is corrupt \(it has no zip directory: not a zip, or cut short\)/);
  });

  it('reports garbled bytes as corrupt (unzip error or hash mismatch)', async () => {
    const { err } = await failure('garbled');
    expect(err.message).toMatch(/^the downloaded zip is corrupt \(.+\)/);
  });

  it('reports a page that is not a zip', async () => {
    const { err } = await failure('html');
    expect(err.message).toMatch(/^the downloaded zip is corrupt \(it has no zip directory/);
  });

  it('reports an unreachable server as offline', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const dest = tmpRoot();
    const err = await downloadDataset('ml-100k', { baseUrl: `http://127.0.0.1:${port}/`, dest }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/^could not reach 127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\); are you offline\? To proceed: download/);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('stops when the caller aborts', async () => {
    const ctl = new AbortController();
    const { err } = await failure('stall', {
      signal: ctl.signal,
      onProgress: (received) => {
        if (received > 0) ctl.abort();
      },
    });
    expect(err.message).toMatch(/\(cancelled\)/);
  });
});
