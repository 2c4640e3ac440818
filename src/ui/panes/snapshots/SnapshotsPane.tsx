/** Pane 6 — Snapshots: list, load (Enter), save (s), delete (d, asks), compare (space, c), retrain with wd 0 (w), export (e). */
import React, { memo, useCallback, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
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
import { useHue } from '../../lib/theme.js';
import { fixed, padEnd } from '../../lib/format.js';
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

export function snapshotLine(s: SnapshotSummary, width: number): string {
  if (s.broken) return padEnd(s.name, Math.max(8, Math.min(24, width - 20))) + ` BROKEN: ${s.broken} (d deletes it)`;
  const date = s.created.slice(0, 16).replace('T', ' ');
  // Below ~96 columns the date goes, so names keep room to be read.
  const when = width >= 96 ? `${date}  ` : '';
  const tail = ` ${s.model.padEnd(7)} ${String(s.factors).padStart(4)}f ${String(s.epochs).padStart(3)}ep  rmse ${fixed(s.validRmse, 4)}  ${padEnd(s.dataset, 9)} ${when}${formatSize(s.sizeBytes).padStart(7)}`;
  return padEnd(s.name, Math.max(8, width - tail.length - 2)) + tail;
}

export const SnapshotsPane = memo(function SnapshotsPane({ services, dispatch, model, training, onModelLoaded, width, height, active }: SnapshotsPaneProps) {
  const hue = useHue();
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  const list = useAsync(active ? () => services.listSnapshots() : null, [services, active, generation]);
  const [at, setAt] = useState(0);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  // A load waiting for "lose the unsaved model?"; null when nobody is asking.
  const [confirmLoad, setConfirmLoad] = useState<string | null>(null);
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

  useKeys(
    (input, key) => {
      if (busy || marks.comparing) return;
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
        if (services.modelInfo()?.saved === false) return setConfirmLoad(chosen.name);
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
        // Load it (it becomes the current model, saved), then the Train pane retrains it with wd 0.
        const name = chosen.name;
        return run(`loading "${name}"…`, async () => {
          if ((await services.snapshotRun(name)).options.wd === 0) throw new Error(`"${name}" already has wd 0: pick a run trained with weight decay`);
          await services.loadSnapshot(name);
        }, () => {
          onModelLoaded();
          dispatch({ type: 'requestWd0' });
        });
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
    },
    { isActive: active && !prompting },
  );

  const load = (name: string) => run(`loading "${name}"…`, () => services.loadSnapshot(name), onModelLoaded);
  const onLoadAnswer = (yes: boolean) => {
    const name = confirmLoad;
    setConfirmLoad(null);
    if (yes && name) load(name);
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
  const first = Math.max(0, Math.min(cursor - listRoom + 1, items.length - listRoom));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain>A snapshot keeps a model's weights, vocabulary and training history; loading one redraws its loss chart and every pane uses it.</Explain>
      <Text bold wrap="truncate-end">
        {`Snapshots (${items.length})`}
        {model ? <Text color={hue('muted')}>{`  current model: ${model.label}${model.snapshot ? ` = "${model.snapshot}"` : ' (unsaved)'}`}</Text> : null}
      </Text>
      {marks.comparison ? (
        <CompareView comparison={marks.comparison} width={width} height={listRoom} />
      ) : (
      <Box flexDirection="column" height={listRoom}>
        {list.state === 'error' ? (
          <Text color={hue('bad')}>{list.message}</Text>
        ) : items.length === 0 ? (
          <EmptyState>{list.state === 'loading' ? 'reading snapshots…' : 'No snapshots yet — train a model (1), then press s here to save it.'}</EmptyState>
        ) : (
          items.slice(first, first + listRoom).map((s, i) => {
            const on = first + i === cursor;
            const current = model?.snapshot === s.name;
            const mark = marks.marked.indexOf(s.name);
            return (
              <Text key={s.name} inverse={on} color={s.broken ? hue('bad') : current ? hue('good') : undefined} wrap="truncate-end">
                {on ? '›' : ' '}
                {current ? '*' : ' '}
                {/* A marked run shows its number in the comparison before its name; the columns stay aligned. */}
                {mark >= 0 ? <Text color={hue('accent')} bold>{String(mark + 1)}</Text> : null}
                {snapshotLine(s, width - 2 - (mark >= 0 ? 1 : 0))}
              </Text>
            );
          })
        )}
      </Box>
      )}
      <Box flexDirection="column" height={promptLines}>
        {confirmLoad ? <Confirm question={`The current model is not saved. Load "${confirmLoad}" and lose it?`} onAnswer={onLoadAnswer} active={active} /> : null}
        {confirmDelete ? <Confirm question={`Delete snapshot "${confirmDelete}"? This cannot be undone.`} onAnswer={onDelete} active={active} /> : null}
        {save.phase !== 'closed' ? <SavePrompt flow={save} width={width} active={active} /> : null}
        {busy ? <Text color={hue('warn')}>{busy}</Text> : marks.comparing ? <Text color={hue('warn')}>reading the marked runs…</Text> : null}
        {marks.error ? <Text color={hue('bad')} wrap="truncate-end">{marks.error}</Text> : null}
        {!busy && !prompting && !marks.error && exported ? (
          <>
            <Text color={hue('good')} wrap="truncate-start">{`exported ${exported.rows} movies × ${exported.dims} factors to ${exported.dir}`}</Text>
            <Text color={hue('muted')} wrap="truncate-end">open projector.tensorflow.org → Load → vectors.tsv, then metadata.tsv from that folder</Text>
          </>
        ) : null}
      </Box>
      <KeyHints>
        {marks.comparison
          ? 'Esc/c back to the list · * marks a hyperparameter that differs'
          : `↑/↓ pick · Enter load · s save · d delete · space mark${marks.marked.length > 0 ? ` (${marks.marked.length})` : ''} · c compare · w retrain wd 0 · e export · r refresh`}
      </KeyHints>
    </Box>
  );
});
