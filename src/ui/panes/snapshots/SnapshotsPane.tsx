/** Pane 6 — Snapshots: list, load (Enter), save (s), delete (d, asks), compare (space, c), retrain with wd 0 (w), export (e). */
import React, { memo, useCallback, useEffect, useRef, useState } from 'react';
import { Box, Text, type Key } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { SnapshotSummary } from '../../services.js';
import type { ModelState } from '../../state/appReducer.js';
import { messageOf, useAsync } from '../../hooks/useAsync.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { useSaveSnapshot } from '../../hooks/useSaveSnapshot.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { EmptyState } from '../../components/EmptyState.js';
import { SavePrompt, savePromptLines } from '../../components/SavePrompt.js';
import { Confirm } from '../../components/Confirm.js';
import { Spinner } from '../../components/Spinner.js';
import { useHue } from '../../lib/theme.js';
import { fixed, padEnd, padStart } from '../../lib/format.js';
import { CompareView } from '../../components/CompareView.js';
import { useSnapshotMarks } from './useSnapshotMarks.js';
import type { PaneProps } from '../paneProps.js';

export interface SnapshotsPaneProps extends PaneProps {
  model: ModelState | null;
  training: boolean;
  onModelLoaded: () => void;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Optional columns, in the order they join when there is room: the name keeps NAME_ROOM cells first. */
const OPTIONAL = ['dataset', 'disk', 'created'] as const;
const NAME_ROOM = 24;
type Optional = (typeof OPTIONAL)[number];

export interface SnapshotLayout {
  name: number;
  size: number;
  optional: Set<Optional>;
}

/**
 * Which columns fit `width`: name, model, size, epochs, valid rmse and split always (the split, because
 * RMSEs of a u1 run and a random-split run do not compare); then dataset, disk size, date.
 */
export function snapshotLayout(width: number, items: readonly SnapshotSummary[]): SnapshotLayout {
  const size = Math.max(4, ...items.map((s) => s.size.length));
  const required = 1 + 7 + 1 + size + 1 + 3 + 2 + 10 + 1 + 6;
  const extra: Record<Optional, number> = { dataset: 10, disk: 8, created: 18 };
  const optional = new Set<Optional>();
  let name = width - required - 2;
  for (const col of OPTIONAL) {
    if (name - extra[col] < NAME_ROOM) break;
    optional.add(col);
    name -= extra[col];
  }
  return { name: Math.max(8, name), size, optional };
}

function row(l: SnapshotLayout, c: Record<'name' | 'model' | 'size' | 'ep' | 'rmse' | 'split' | 'dataset' | 'disk' | 'created', string>): string {
  return (
    padEnd(c.name, l.name) +
    ` ${padEnd(c.model, 7)} ${padStart(c.size, l.size)} ${padStart(c.ep, 3)}  ${padEnd(c.rmse, 10)} ${padEnd(c.split, 6)}` +
    (l.optional.has('dataset') ? ` ${padEnd(c.dataset, 9)}` : '') +
    (l.optional.has('disk') ? ` ${padStart(c.disk, 7)}` : '') +
    (l.optional.has('created') ? `  ${padEnd(c.created, 16)}` : '')
  );
}

/** The column header that goes with snapshotLine at the same layout. */
export function snapshotHeader(l: SnapshotLayout): string {
  return row(l, { name: 'name', model: 'model', size: 'size', ep: 'ep', rmse: 'valid rmse', split: 'split', dataset: 'dataset', disk: 'disk', created: 'created (UTC)' });
}

export function snapshotLine(s: SnapshotSummary, l: SnapshotLayout): string {
  if (s.broken) return padEnd(s.name, Math.max(8, Math.min(24, l.name))) + ` BROKEN: ${s.broken} (d deletes it)`;
  return row(l, {
    name: s.name,
    model: s.model,
    size: s.size,
    ep: String(s.epochs),
    rmse: fixed(s.validRmse, 4),
    split: s.split || '—',
    dataset: s.dataset,
    disk: formatSize(s.sizeBytes),
    created: s.created.slice(0, 16).replace('T', ' '),
  });
}

export const SnapshotsPane = memo(function SnapshotsPane({ services, dispatch, model, training, onModelLoaded, width, height, active }: SnapshotsPaneProps) {
  const hue = useHue();
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  const list = useAsync(active ? () => services.listSnapshots() : null, [services, active, generation]);
  const [at, setAt] = useState(0);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  // A load (Enter) or a load-and-retrain (w) waiting for "lose the unsaved model?"; null when nobody is asking.
  const [confirmLoad, setConfirmLoad] = useState<{ name: string; then: 'load' | 'wd0' } | null>(null);
  // Keys pressed while the list is still being read: kept, and played once it is there.
  const held = useRef<{ input: string; key: Key }[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [exported, setExported] = useState<{ dir: string; rows: number; dims: number } | null>(null);
  const marks = useSnapshotMarks(services);
  const save = useSaveSnapshot(services, dispatch, refresh);
  const prompting = save.phase !== 'closed' || confirmDelete !== null || confirmLoad !== null;
  useKeyCapture('snapshots', save.phase === 'naming' ? 'text' : 'nav');
  const items = list.value ?? [];
  const cursor = Math.min(at, Math.max(0, items.length - 1));
  const { keepOnly } = marks;
  useEffect(() => {
    if (list.value) keepOnly(list.value.map((s) => s.name));
  }, [list.value, keepOnly]);

  const run = (label: string, work: () => Promise<void>, after: () => void) => {
    setBusy(label);
    work().then(
      () => {
        setBusy(null);
        after();
      },
      (err: unknown) => {
        setBusy(null);
        dispatch({ type: 'notice', text: messageOf(err) });
      },
    );
  };

  const onKey = (input: string, key: Key): void => {
      if (busy || marks.comparing) {
        if (key.return || input === 'w' || input === 'd' || input === 's') dispatch({ type: 'notice', text: `${busy ?? 'reading the marked runs…'} — that key waits for it: press it again in a moment` });
        return;
      }
      if (list.value === null && list.state !== 'error' && (key.upArrow || key.downArrow || key.return)) {
        held.current.push({ input, key });
        return;
      }
      if (marks.comparison) {
        if (key.escape || input === 'c') marks.close();
        return;
      }
      const chosen = items[cursor];
      if (key.upArrow) return setAt(Math.max(0, cursor - 1));
      if (key.downArrow) return setAt(Math.min(items.length - 1, cursor + 1));
      if (input === 'r') return refresh();
      if (chosen?.broken && (key.return || input === ' ' || input === 'w')) {
        return dispatch({ type: 'notice', text: `snapshot "${chosen.name}" cannot be loaded: ${chosen.broken}; d deletes it` });
      }
      if (key.return && chosen) {
        if (training) return dispatch({ type: 'notice', text: 'wait for training to finish (or Esc it in the Train pane) before loading' });
        if (services.modelInfo()?.saved === false) return setConfirmLoad({ name: chosen.name, then: 'load' });
        return load(chosen.name);
      }
      if (input === 'd' && chosen) return setConfirmDelete(chosen.name);
      if (input === ' ' && chosen) return marks.toggle(chosen.name);
      if (input === 'c') {
        if (marks.marked.length < 2) return dispatch({ type: 'notice', text: 'mark two or more snapshots with space, then c compares them' });
        return void marks.compare();
      }
      if (input === 'w' && chosen) {
        if (training) return dispatch({ type: 'notice', text: 'wait for training to finish before starting another run' });
        // loading it replaces the current model: an unsaved one is lost, so ask, as Enter does
        if (services.modelInfo()?.saved === false) return setConfirmLoad({ name: chosen.name, then: 'wd0' });
        return loadAndRetrain(chosen.name);
      }
      if (input === 'e') {
        if (!services.modelInfo()) return dispatch({ type: 'notice', text: 'no model to export: train one (1) or load a snapshot (Enter)' });
        return run('exporting for the Embedding Projector…', async () => {
          const r = await services.exportProjector();
          setExported(r);
        }, () => undefined);
      }
      if (input === 's') {
        const info = services.modelInfo();
        if (!info) return dispatch({ type: 'notice', text: 'no model to save: train one first (1)' });
        save.open(info.snapshot ?? info.suggestedName);
      }
  };
  useKeys(onKey, { isActive: active && !prompting });

  // the list arrived: the keys pressed while it was being read now do what they were pressed for, one
  // per render (↓ then Enter must see the cursor ↓ moved)
  const [replayed, setReplayed] = useState(0);
  useEffect(() => {
    if (!list.value || held.current.length === 0) return;
    const k = held.current.shift()!;
    onKey(k.input, k.key);
    if (held.current.length > 0) setReplayed((n) => n + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.value, replayed]);

  const load = (name: string) => run(`loading "${name}"…`, () => services.loadSnapshot(name), onModelLoaded);
  // Load it (it becomes the current model, saved), then the Train pane retrains it with wd 0.
  const loadAndRetrain = (name: string) =>
    run(`loading "${name}"…`, async () => {
      if ((await services.snapshotRun(name)).options.wd === 0) throw new Error(`"${name}" already has wd 0: pick a run trained with weight decay`);
      await services.loadSnapshot(name);
    }, () => {
      onModelLoaded();
      dispatch({ type: 'requestWd0' });
    });
  const onLoadAnswer = (yes: boolean) => {
    const asked = confirmLoad;
    setConfirmLoad(null);
    if (!yes || !asked) return;
    if (asked.then === 'load') load(asked.name);
    else loadAndRetrain(asked.name);
  };

  const onDelete = (yes: boolean) => {
    const name = confirmDelete;
    setConfirmDelete(null);
    if (!yes || !name) return;
    run(`deleting "${name}"…`, () => services.removeSnapshot(name), () => {
      dispatch({ type: 'snapshotRemoved', name });
      refresh();
    });
  };

  const promptLines = save.phase !== 'closed' ? savePromptLines(save, width) : 2;
  const listRoom = Math.max(1, height - 4 - promptLines);
  const layout = snapshotLayout(width - 2, items);
  const rowsRoom = Math.max(1, listRoom - 1);
  const first = Math.max(0, Math.min(cursor - rowsRoom + 1, items.length - rowsRoom));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>A snapshot keeps a model's weights, vocabulary and training history; loading one redraws its loss chart and every pane uses it.</Explain>
      <Text bold wrap="truncate-end">
        {`Snapshots (${items.length})`}
        {model ? <Text color={hue('muted')}>{`  current model: ${model.label}${model.snapshot ? ` = "${model.snapshot}"` : ' (unsaved)'}`}</Text> : null}
      </Text>
      {marks.comparison ? (
        <CompareView comparison={marks.comparison} width={width} height={listRoom} />
      ) : (
      <Box flexDirection="column" height={listRoom}>
        {items.length > 0 && !marks.comparison ? <Text color={hue('muted')} wrap="truncate-end">{`  ${snapshotHeader(layout)}`}</Text> : null}
        {list.state === 'error' ? (
          <Text color={hue('bad')}>{list.message}</Text>
        ) : items.length === 0 ? (
          list.state === 'loading' || list.state === 'idle' ? <Spinner label="reading the snapshots folder…" /> : <EmptyState>No snapshots yet — train a model (1), then press s here to save it.</EmptyState>
        ) : (
          items.slice(first, first + rowsRoom).map((s, i) => {
            const on = first + i === cursor;
            const current = model?.snapshot === s.name;
            const mark = marks.marked.indexOf(s.name);
            return (
              <Text key={s.name} inverse={on} color={s.broken ? hue('bad') : current ? hue('good') : undefined} wrap="truncate-end">
                {on ? '›' : ' '}
                {current ? '*' : ' '}
                {/* A marked run shows its number in the comparison before its name; the columns stay aligned. */}
                {mark >= 0 ? <Text color={hue('accent')} bold>{String(mark + 1)}</Text> : null}
                {snapshotLine(s, mark >= 0 ? { ...layout, name: layout.name - 1 } : layout)}
              </Text>
            );
          })
        )}
      </Box>
      )}
      <Box flexDirection="column" height={promptLines}>
        {confirmLoad ? (
          <Confirm
            question={`The current model is not saved. ${confirmLoad.then === 'load' ? `Load "${confirmLoad.name}"` : `Load "${confirmLoad.name}" and retrain it with wd 0`} and lose it?`}
            onAnswer={onLoadAnswer}
            active={active}
          />
        ) : null}
        {confirmDelete ? <Confirm question={`Delete snapshot "${confirmDelete}"? This cannot be undone.`} onAnswer={onDelete} active={active} /> : null}
        {save.phase !== 'closed' ? <SavePrompt flow={save} width={width} active={active} /> : null}
        {busy ? <Spinner label={busy} hue="warn" /> : marks.comparing ? <Spinner label="reading the marked runs…" hue="warn" /> : null}
        {marks.error ? <Text color={hue('bad')} wrap="truncate-end">{marks.error}</Text> : null}
        {!busy && !prompting && !marks.error && exported ? (
          <>
            <Text color={hue('good')} wrap="truncate-start">{`exported ${exported.rows} movies × ${exported.dims} factors to ${exported.dir}`}</Text>
            <Text color={hue('muted')} wrap="truncate-end">open projector.tensorflow.org → Load → vectors.tsv, then metadata.tsv from that folder</Text>
          </>
        ) : null}
      </Box>
      <KeyHints width={width} typing={save.phase === 'naming'}>
        {marks.comparison
          ? 'Esc/c back to the list · * marks a hyperparameter that differs'
          : `↑/↓ pick · Enter load · s save · d delete · space mark${marks.marked.length > 0 ? ` (${marks.marked.length})` : ''} · c compare · w retrain wd 0 · e export · r refresh`}
      </KeyHints>
    </Box>
  );
});
