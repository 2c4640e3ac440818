/** `factorlens export`: vectors.tsv + metadata.tsv for projector.tensorflow.org. */
import path from 'node:path';
import { Command, Option } from 'commander';
import { writeProjectorFiles } from '../../model/index.js';
import { jsonOption, printJson, out } from '../common.js';
import { addModelSourceOptions, obtainModel, type ModelSourceFlags } from '../modelSource.js';

export function registerExport(program: Command): void {
  const cmd = program
    .command('export')
    .description('write the movie factors for the TensorFlow Embedding Projector (vectors.tsv + metadata.tsv)')
    .addOption(new Option('--out <dir>', 'output folder (default: ./projector/NAME, as in the app)'))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: ModelSourceFlags & { out?: string; json?: boolean }) => {
    const { weights, vocab, label } = await obtainModel(f);
    const dir = path.resolve(f.out ?? path.join('projector', f.snapshot ?? weights.kind));
    const r = await writeProjectorFiles(dir, weights, vocab);
    if (f.json) return printJson({ model: label, dir, ...r });
    out(`${label}: ${r.rows} movies × ${r.dims} factors`);
    out(`  ${r.vectorsPath}\n  ${r.metadataPath}`);
    out('Open https://projector.tensorflow.org, click "Load", choose vectors.tsv then metadata.tsv.');
  });
}
