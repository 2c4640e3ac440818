/**
 * Pane 8 — Leaderboard: every baseline and fastai's models on the same split, one row each as it is
 * done (from the cache at once), sortable by any column, the sorted one drawn as bars. Enter makes a
 * row's model the current one (a cached row is retrained first, with the Train pane's progress).
 */
import React, { memo, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import { useKeyCapture } from '../../hooks/useKeyCapture.js';
import { messageOf } from '../../hooks/useAsync.js';
import type { Training } from '../../hooks/useTraining.js';
import { Explain, KeyHints } from '../../components/Explain.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { useHue } from '../../lib/theme.js';
import { bar } from '../../lib/format.js';
import { COLD_REVEAL, LOWER_IS_BETTER, METRIC_HEADS, type LeaderboardRow } from '../../services.js';
import type { PaneProps } from '../paneProps.js';
import { boardBars, headerLine, layoutBoard, rowCells, sortBoard, type Block } from './boardLayout.js';
import { useLeaderboard } from './useLeaderboard.js';

export interface LeaderboardPaneProps extends PaneProps {
  training: Training;
  /** A model is training (a retrain from here, or the Train pane's). */
  trainingBusy: boolean;
  onModelLoaded: () => void;
}

/** Lines around the table: explanation (2), status, header, the cold-block note, key hints. */
// explanation (2), progress, header, the chosen row's intervals, hints
const CHROME = 7;

export const LeaderboardPane = memo(function LeaderboardPane({ services, dispatch, training, trainingBusy, onModelLoaded, width, height, active }: LeaderboardPaneProps) {
  const hue = useHue();
  const b = useLeaderboard(services, services.modelInfo()?.options.split ?? 'random');
  const [block, setBlock] = useState<Block>('warm');
  useKeyCapture('leaderboard', 'nav');
  const hasCold = b.rows.some((r) => r.cold !== null);
  const shownBlock: Block = hasCold ? block : 'warm';
  const rows = sortBoard(b.rows, b.sort, shownBlock);
  const cursor = Math.min(b.cursor, Math.max(0, rows.length - 1));
  const room = Math.max(1, height - CHROME);
  const first = Math.max(0, Math.min(cursor - room + 1, rows.length - room));
  const visible = rows.slice(Math.max(0, first), Math.max(0, first) + room);

  const open = (row: LeaderboardRow) => {
    services.openLeaderboardRow(b.protocol, row).then(
      (r) => {
        if (r.opened) {
          onModelLoaded();
          dispatch({ type: 'notice', text: `${row.model} (${b.protocol}) is the current model` });
        } else if (trainingBusy) {
          dispatch({ type: 'notice', text: 'a model is training: wait for it (or Esc in the Train pane) to retrain this row' });
        } else {
          training.start(r.options);
          dispatch({ type: 'notice', text: `retraining ${row.model}: a cached row keeps only its numbers` });
        }
      },
      (err: unknown) => dispatch({ type: 'notice', text: messageOf(err) }),
    );
  };

  useKeys(
    (input, key) => {
      if (key.escape) return b.cancel();
      if (input === 'r') return b.run();
      if (input === 'p') return b.nextProtocol();
      if (input === 'n' && hasCold) return setBlock((x) => (x === 'warm' ? 'cold' : 'warm'));
      if (key.leftArrow || key.rightArrow) return b.stepSort(key.leftArrow ? -1 : 1);
      if (key.upArrow) return b.setCursor(Math.max(0, cursor - 1));
      if (key.downArrow) return b.setCursor(Math.min(rows.length - 1, cursor + 1));
      if (key.return && rows[cursor]) open(rows[cursor]);
    },
    { isActive: active },
  );

  const layout = layoutBoard(rows, shownBlock, b.sort, width);
  const bars = boardBars(rows, b.sort, shownBlock);
  const cv = rows.some((r) => r.splits.length > 1);
  const retraining = trainingBusy && training.view.source === 'live';
  const planned = training.view.epochsPlanned * training.view.batchesPerEpoch;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Explain width={width}>
        {'Every model on one split. RMSE/MAE where it predicts ratings; P@10, R@20, NDCG@10 rank the whole catalogue (relevant = held out ≥ 4). · = from the cache.'}
      </Explain>
      <StatusLine b={b} width={width} />
      {rows.length === 0 ? (
        <Box flexDirection="column" flexGrow={1}>
          <Text color={hue('muted')} wrap="wrap">
            {b.status === 'idle'
              ? `r runs the leaderboard on split ${b.protocol} (p picks another): every baseline, then fastai's models. Rows computed before appear at once.`
              : b.status === 'running'
                ? 'the first rows are on their way…'
                : 'no rows.'}
          </Text>
        </Box>
      ) : (
        <Box flexDirection="column" flexGrow={1}>
          <Text bold wrap="truncate-end">
            {headerLine(layout, b.sort, LOWER_IS_BETTER[b.sort])}
          </Text>
          {visible.map((r) => {
            const i = rows.indexOf(r);
            const f = bars[i];
            return (
              <Text key={r.model} inverse={active && i === cursor} wrap="truncate-end">
                {rowCells(r, shownBlock, layout, cv)}
                {'  '}
                <Text color={hue('accent')}>{f === null || layout.barWidth === 0 ? '' : bar(f, layout.barWidth).replace(/·+$/, '')}</Text>
              </Text>
            );
          })}
          {shownBlock === 'warm' && rows[cursor] ? (
            <Text color={hue('muted')} wrap="truncate-end">
              {intervalLine(rows[cursor], width)}
            </Text>
          ) : null}
          {hasCold ? (
            <Text color={hue('muted')} wrap="truncate-end">
              {shownBlock === 'warm'
                ? `users with training ratings; n: the ${b.rows[0]?.coldUsers ?? 0} who joined after the cut`
                : `users who joined after the cut, folded in from their first ${COLD_REVEAL} ratings; n: back`}
            </Text>
          ) : null}
        </Box>
      )}
      {retraining ? <ProgressBar fraction={planned > 0 ? training.view.loss.batchesSeen / planned : 0} width={width} label="retraining the chosen row" /> : null}
      <KeyHints width={width}>{b.status === 'running' ? 'Esc stop · ←/→ sort · ↑/↓ row · Enter open' : `r run · p split · ←/→ sort · ↑/↓ row · Enter open${hasCold ? ' · n new users' : ''}`}</KeyHints>
    </Box>
  );
});

function StatusLine({ b, width }: { b: ReturnType<typeof useLeaderboard>; width: number }) {
  const hue = useHue();
  const head = `split ${b.protocol}`;
  if (b.status === 'running' && b.progress) {
    const p = b.progress;
    const fold = p.folds > 1 ? ` fold ${p.fold + 1}/${p.folds}` : '';
    const done = `${b.rows.length}/${b.models.length || '…'} rows`;
    return <ProgressBar fraction={p.fraction} width={width} label={`${head} · ${done} · ${p.model}${fold}`} />;
  }
  const text = b.status === 'running' ? `${head} · ${b.rows.length}/${b.models.length || '…'} rows · working…` : b.message ? `${head} · ${b.message}` : head;
  return (
    <Text color={b.status === 'error' ? hue('bad') : undefined} wrap="truncate-end">
      {text}
    </Text>
  );
}

/** The chosen row's 95 % intervals (resampling users): whether its lead over a neighbour is real. */
export function intervalLine(row: LeaderboardRow, width: number): string {
  const part = (k: 'rmse' | 'ndcg10', digits: number) => {
    const x = row.metrics[k];
    return x?.interval ? `${METRIC_HEADS[k]} ${x.mean.toFixed(digits)} [${x.interval.low.toFixed(digits)}–${x.interval.high.toFixed(digits)}]` : null;
  };
  const parts = [part('rmse', 4), part('ndcg10', 3)].filter((p): p is string => p !== null);
  if (parts.length === 0) return row.splits.length > 1 ? `${row.model}: mean ± sd over ${row.splits.length} folds` : `${row.model}: no intervals (from the cache of an older version: r recomputes)`;
  const tail = width >= 100 ? ' — 95 % from resampling users; rows differ where these do not overlap' : ' (95 %)';
  return `${row.model}: ${parts.join(' · ')}${tail}`;
}
