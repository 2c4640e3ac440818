/**
 * Child process of the kill test (not a test itself). argv: dir name firstVersion mode
 *   loop: force-saves versions firstVersion, firstVersion+1, … until killed, printing "saved N" after each.
 *   once / once-force: waits for "go" on stdin, saves firstVersion once, prints "saved N" or "error MESSAGE".
 * A version's weights come from its number alone, so the parent can check what it loads bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import { saveSnapshot } from '../../src/model/snapshot/index.js';
import { makeResult } from './snapshotFixtures.js';

export const KILL_FIXTURE = { nUsers: 900, nItems: 1600, factors: 40 };

async function main(): Promise<void> {
  const [dir, name, first, mode] = process.argv.slice(2);
  await tf.setBackend('cpu');
  let version = Number(first);
  const save = async (force: boolean) => {
    const result = makeResult('dotbias', { ...KILL_FIXTURE, seed: version });
    result.message = `version ${version}`;
    await saveSnapshot(name, result, { dir, force });
    process.stdout.write(`saved ${version}\n`);
  };
  if (mode === 'loop') {
    process.stdout.write('ready\n');
    for (;;) {
      await save(true);
      version++;
    }
  }
  process.stdout.write('ready\n');
  process.stdin.once('data', () => {
    save(mode === 'once-force').then(
      () => process.exit(0),
      (err: Error) => {
        process.stdout.write(`error ${err.name}: ${err.message}\n`);
        process.exit(0);
      },
    );
  });
}

void main();
