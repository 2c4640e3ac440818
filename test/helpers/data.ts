/** Where the real MovieLens 100K lives for tests: fail loudly when it is missing, never skip. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function testDataDir(): string {
  const dir = process.env.FACTORLENS_TEST_DATA ?? path.resolve(process.cwd(), '../shared/data/ml-100k');
  if (!existsSync(path.join(dir, 'u.data'))) {
    throw new Error(
      `MovieLens 100K not found at ${dir}: set FACTORLENS_TEST_DATA to the ml-100k folder (CI uses ../shared/data/ml-100k)`,
    );
  }
  return dir;
}

export function testZipPath(): string {
  const zip = process.env.FACTORLENS_TEST_ZIP ?? path.resolve(process.cwd(), '../shared/data/ml-100k.zip');
  if (!existsSync(zip)) throw new Error(`ml-100k.zip not found at ${zip}: set FACTORLENS_TEST_ZIP`);
  return zip;
}
