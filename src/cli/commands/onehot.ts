/** `factorlens onehot`: one_hot(u)·U next to U[u] on your model. */
import { Command, Option } from 'commander';
import { oneHotVsLookup } from '../../model/index.js';
import { UsageError, jsonOption, parseIntArg, printJson, out } from '../common.js';
import { addModelSourceOptions, obtainModel, type ModelSourceFlags } from '../modelSource.js';
import { formatTable } from './data.js';

export function registerOneHot(program: Command): void {
  const cmd = program
    .command('onehot')
    .description("the first seed's point on your model: one_hot(u) · U equals the row U[u]; timing and memory at MovieLens and Netflix scale")
    .addOption(new Option('--user <id>', 'user id as in the data (default: the first user)'))
    .addOption(new Option('--repeats <n>', 'timed repetitions, median reported').default(30).argParser(parseIntArg('--repeats', 1, 10000)))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: ModelSourceFlags & { user?: string; repeats: number; json?: boolean }) => {
    const { weights, vocab, label } = await obtainModel(f);
    const id = f.user ?? vocab.userIds[0];
    const user = vocab.userIds.indexOf(id);
    if (user < 0) throw new UsageError(`no user with id "${id}" in this model (ids run ${vocab.userIds[0]}…${vocab.userIds.at(-1)})`);
    const r = await oneHotVsLookup(weights, user, id, { repeats: f.repeats, backend: (f.backend as never) ?? 'auto' });
    if (f.json) return printJson({ model: label, ...r });
    const v = (xs: number[]) => `[${xs.slice(0, 5).map((x) => x.toFixed(4)).join(', ')}, … ${xs.length} values]`;
    out(`${label}, user ${id} (row ${user} of ${r.nUsers}), backend ${r.backend}\n`);
    out(`  U[u]            = gather(U, u)             ${v(r.lookup)}`);
    out(`  one_hot(u) · U  = matMul(oneHot(u, ${r.nUsers}), U)  ${v(r.viaOneHot)}`);
    out(`  max |difference| ${r.maxAbsDiff} (this user), ${r.batchMaxAbsDiff} (a batch of ${r.timing.batch}); the one-hot vector has ${r.oneHotNonZeros} non-zero of ${r.nUsers}\n`);
    out(`  a batch of ${r.timing.batch}, median of ${r.timing.repeats}: lookup ${r.timing.gatherMs.toFixed(3)} ms, one-hot × matrix ${r.timing.oneHotMatMulMs.toFixed(3)} ms (×${r.timing.ratio.toFixed(1)})\n`);
    const mb = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`);
    out(
      formatTable(
        ['scale', 'users', 'movies', 'one-hot inputs / batch', 'lookup reads / batch', 'matMul flops / batch'],
        r.memory.map((m) => [m.name, String(m.nUsers), String(m.nItems), mb(m.oneHotBytes), mb(m.lookupBytes), m.matMulFlops.toExponential(1)]),
        'lrrrrr',
      ).trimEnd(),
    );
    out('\nThe lookup reads the rows it needs; the one-hot way builds and multiplies a mostly-zero matrix that grows with the catalogue.');
  });
}
