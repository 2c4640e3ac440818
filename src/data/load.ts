/** loadDataset: pick the reader for a folder, parse, build the columnar Dataset. */
import type { Dataset } from './types.js';
import { DataError } from './types.js';
import { describeFsError, isFsError } from './fsErrors.js';
import { buildDataset, type RawDataset } from './build.js';
import { detectLayout } from './detect.js';
import { readMl100k } from './readers/ml100k.js';
import { readMl1m } from './readers/ml1m.js';
import { readMlCsv } from './readers/mlcsv.js';
import { readGeneric } from './readers/generic.js';

export interface LoadOptions {
  /** 0..1 while reading the ratings file; 1 once the dataset is built. */
  onProgress?: (fraction: number) => void;
}

export async function loadDataset(dir: string, opts: LoadOptions = {}): Promise<Dataset> {
  try {
    return await load(dir, opts);
  } catch (err) {
    // the readers word their own files' failures; anything else from the file system still gets words
    throw isFsError(err) ? new DataError(describeFsError(err)) : err;
  }
}

async function load(dir: string, opts: LoadOptions): Promise<Dataset> {
  const layout = detectLayout(dir);
  const progress = opts.onProgress && ((f: number) => opts.onProgress!(Math.min(0.99, f * 0.95)));
  let raw: RawDataset;
  switch (layout.format) {
    case 'ml-100k':
      raw = await readMl100k(layout.source, progress);
      break;
    case 'ml-1m':
      raw = await readMl1m(layout.source, progress);
      break;
    case 'ml-csv':
      raw = await readMlCsv(layout.source, progress);
      break;
    case 'generic':
      raw = await readGeneric(layout.ratingsFile, layout.itemsFile, progress);
      raw.source = layout.source;
      break;
  }
  const ds = buildDataset(raw);
  opts.onProgress?.(1);
  return ds;
}
