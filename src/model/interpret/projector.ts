/**
 * The movie factors as TensorFlow Embedding Projector files (projector.tensorflow.org, "Load"):
 * vectors.tsv, one movie per line, tab-separated factors; metadata.tsv, the same movies in the same
 * order with a header line (required by the projector once there is more than one column).
 */
import { lstat, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '../errors.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights, Vocab } from '../types.js';

export const PROJECTOR_HEADER = ['title', 'year', 'genres', 'ratings', 'bias'] as const;

export interface ProjectorFiles {
  vectors: string;
  metadata: string;
  rows: number;
  dims: number;
}

/** Tabs and line breaks would split a cell or a row: they become spaces. */
export function sanitizeCell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ').trim();
}

export function projectorFiles(w: ModelWeights, vocab: Vocab): ProjectorFiles {
  const kind = kindOf(w);
  const vectors = kind.itemVectors(w);
  if (!vectors) throw new ModelError(`a ${w.kind} model has no movie vectors to project`);
  const { dim: d, values } = vectors;
  const itemBias = kind.biases(w)?.item;
  const vec: string[] = [];
  const meta: string[] = [PROJECTOR_HEADER.join('\t')];
  for (let i = 0; i < w.nItems; i++) {
    const row: string[] = new Array(d);
    for (let k = 0; k < d; k++) row[k] = String(values[i * d + k]);
    vec.push(row.join('\t'));
    const year = vocab.years[i];
    meta.push(
      [
        sanitizeCell(vocab.titles[i] || vocab.itemIds[i] || String(i)),
        year === null || year === undefined ? '' : String(year),
        sanitizeCell((vocab.genres[i] ?? []).join('|')),
        String(vocab.itemCount[i] ?? 0),
        itemBias ? itemBias[i].toFixed(4) : '',
      ].join('\t'),
    );
  }
  return { vectors: vec.join('\n') + '\n', metadata: meta.join('\n') + '\n', rows: w.nItems, dims: d };
}

/** What the first line of an export of ours looks like; a file of that name that does not is someone else's. */
const LOOKS_EXPORTED: Record<string, RegExp> = {
  'vectors.tsv': /^-?[\d.e+-]+(\t-?[\d.e+-]+)*$/i,
  'metadata.tsv': new RegExp(`^${PROJECTOR_HEADER.join('\t')}$`),
};

/**
 * `--out ~` must not overwrite someone's own vectors.tsv: an existing file is replaced only when it is
 * an earlier export (its first line looks like ours), otherwise the export is refused before writing.
 */
async function checkOverwritable(file: string): Promise<void> {
  const st = await lstat(file).catch(() => null);
  if (!st) return;
  const name = path.basename(file);
  let first = '';
  if (st.isFile()) {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      first = buf.toString('utf8', 0, bytesRead).split('\n')[0].replace(/\r$/, '');
    } finally {
      await fh.close();
    }
  }
  if (!st.isFile() || !LOOKS_EXPORTED[name].test(first)) {
    throw new ModelError(`${file} already exists and is not an export of factorlens's; it was left as it is: choose another folder with --out`);
  }
}

/** Writes both files into `dir`, each through a temporary file renamed into place. */
export async function writeProjectorFiles(dir: string, w: ModelWeights, vocab: Vocab): Promise<{ vectorsPath: string; metadataPath: string; rows: number; dims: number }> {
  const files = projectorFiles(w, vocab);
  await mkdir(dir, { recursive: true });
  const vectorsPath = path.join(dir, 'vectors.tsv');
  const metadataPath = path.join(dir, 'metadata.tsv');
  for (const f of [vectorsPath, metadataPath]) await checkOverwritable(f);
  for (const [target, text] of [
    [vectorsPath, files.vectors],
    [metadataPath, files.metadata],
  ] as const) {
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
  return { vectorsPath, metadataPath, rows: files.rows, dims: files.dims };
}
