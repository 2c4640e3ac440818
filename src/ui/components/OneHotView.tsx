/** The first seed's point on the trained model: one_hot(u) · U is the row U[u], and why nobody computes it that way. */
import React from 'react';
import { Box, Text } from 'ink';
import type { AsyncState } from '../hooks/useAsync.js';
import type { OneHotReport } from '../services.js';
import { count, padEnd, padStart } from '../lib/format.js';
import { useHue } from '../lib/theme.js';

export function bytesText(b: number): string {
  if (b >= 1e9) return `${(b / 1e9).toFixed(1)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  return `${(b / 1e3).toFixed(1)} kB`;
}

export function OneHotView({ report, width }: { report: AsyncState<OneHotReport>; width: number }) {
  const hue = useHue();
  const r = report.value;
  if (report.state === 'error') return <Text color={hue('bad')} wrap="wrap">{report.message}</Text>;
  if (!r) return <Text color={hue('muted')}>multiplying a one-hot vector by the user factors…</Text>;
  // each value takes 10 cells ("-0.3478, "), the label columns 40 and the "… 50]" tail 8: never more than fit
  const shown = Math.max(1, Math.min(6, Math.floor((width - 48) / 10)));
  const vec = (xs: number[]) => `[${xs.slice(0, shown).map((x) => (x >= 0 ? ' ' : '') + x.toFixed(4)).join(', ')}, … ${xs.length}]`;
  const same = r.maxAbsDiff === 0 && r.batchMaxAbsDiff === 0;
  const cols = [16, 9, 8, 12, 12, 10];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? padEnd(c, cols[i]) : padStart(c, cols[i]))).join(' ');
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="wrap">
        user {r.userId} <Text color={hue('muted')}>(row {r.user} of {count(r.nUsers)}, {r.factors} factors, backend {r.backend})</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text color={hue('accent')}>{padEnd('U[u]', 14)}</Text>
        <Text color={hue('muted')}>{padEnd('gather', 26)}</Text>
        {vec(r.lookup)}
      </Text>
      <Text wrap="truncate-end">
        <Text color={hue('accent')}>{padEnd('one_hot(u)·U', 14)}</Text>
        <Text color={hue('muted')}>{padEnd(`matMul 1×${r.nUsers} · ${r.nUsers}×${r.factors}`, 26)}</Text>
        {vec(r.viaOneHot)}
      </Text>
      <Text wrap="wrap">
        max |difference| <Text bold color={same ? hue('good') : hue('warn')}>{String(r.maxAbsDiff)}</Text> (this user), {String(r.batchMaxAbsDiff)} (a batch of {r.timing.batch}) · the one-hot vector has {r.oneHotNonZeros} non-zero of {count(r.nUsers)}
      </Text>
      <Text wrap="wrap">
        a batch of {r.timing.batch}, median of {r.timing.repeats}: lookup {r.timing.gatherMs.toFixed(3)} ms · one-hot × matrix {r.timing.oneHotMatMulMs.toFixed(3)} ms <Text bold>(×{r.timing.ratio.toFixed(1)})</Text>
      </Text>
      <Text> </Text>
      <Text bold wrap="truncate-end">{row(['per batch', 'users', 'movies', 'one-hot in', 'lookup reads', 'flops'])}</Text>
      {r.memory.map((m) => (
        <Text key={m.name} wrap="truncate-end">
          {row([m.name, count(m.nUsers), count(m.nItems), bytesText(m.oneHotBytes), bytesText(m.lookupBytes), m.matMulFlops.toExponential(1)])}
        </Text>
      ))}
      <Text> </Text>
      <Text color={hue('muted')} wrap="wrap">
        {same ? 'Same numbers, bit for bit' : 'The same numbers up to float rounding'}: a lookup is a one-hot product done by indexing. It reads only the rows a batch needs, while the one-hot way builds and multiplies a mostly-zero matrix that grows with the number of users and movies.
      </Text>
    </Box>
  );
}
