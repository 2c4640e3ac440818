/**
 * Watch together, in the Rate pane: type the other profiles' names; you (these ratings) and them, folded in
 * one by one, give two lists side by side — average taste and least misery — with each person's stars.
 */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { useAsync } from '../../hooks/useAsync.js';
import { TextField } from '../../components/TextField.js';
import { padEnd } from '../../lib/format.js';
import { useHue } from '../../lib/theme.js';
import { editText } from '../../lib/textInput.js';
import type { AppServices, MyRating, TogetherRow } from '../../services.js';

export function TogetherPanel({ services, mine, width, height, active, onClose }: { services: AppServices; mine: MyRating[]; width: number; height: number; active: boolean; onClose: () => void }) {
  const hue = useHue();
  const [text, setText] = useState('');
  const [names, setNames] = useState<string[] | null>(null);
  const rows = Math.max(3, height - 4);
  const r = useAsync(names ? () => services.watchTogether(mine, names, rows) : null, [services, names, mine, rows]);
  useKeys(
    (input, key) => {
      if (key.escape) return names ? setNames(null) : onClose();
      if (key.return) return setNames(text.split(',').map((n) => n.trim()).filter(Boolean));
      const next = editText(text, input, key);
      if (next !== null) setText(next);
    },
    { isActive: active },
  );
  const half = Math.floor((width - 2) / 2);
  const v = r.value;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <TextField label="watch together with (profiles, a, b):" value={text} focused={active && !names} width={width} placeholder="e.g. kim, sam · Enter shows the lists · Esc back" />
      {r.state === 'error' ? <Text color={hue('bad')}>{r.message}</Text> : null}
      {v ? (
        <Box flexDirection="row">
          <List title="Average taste (mean ★)" people={v.people} rows={v.average} pick={(x) => x.mean} width={half} />
          <Box width={2} />
          <List title="Least misery (lowest ★)" people={v.people} rows={v.leastMisery} pick={(x) => x.min} width={half} />
        </Box>
      ) : names && r.state === 'loading' ? (
        <Text color={hue('muted')}>folding everyone in…</Text>
      ) : null}
    </Box>
  );
}

function List({ title, people, rows, pick, width }: { title: string; people: string[]; rows: TogetherRow[]; pick: (x: TogetherRow) => number; width: number }) {
  const hue = useHue();
  const cols = people.length * 4 + 5;
  const titleRoom = Math.max(8, width - cols - 1);
  // a long title ends at a word with … (the shared rule), never sliced mid-word
  const fit = (t: string) => padEnd(t, titleRoom);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">{title}</Text>
      <Text color={hue('muted')} wrap="truncate-end">{`${' '.repeat(titleRoom)} ${'all'.padStart(4)}${people.map((p) => p.slice(0, 3).padStart(4)).join('')}`}</Text>
      {rows.map((x) => (
        <Text key={x.index} wrap="truncate-end">{`${fit(x.title)} ${pick(x).toFixed(1).padStart(4)}${x.predicted.map((p) => p.toFixed(1).padStart(4)).join('')}`}</Text>
      ))}
    </Box>
  );
}
