/** The right side of the Train pane: lr-find, a wd comparison, or the run (progress, chart, table, ranking). */
import React from 'react';
import { Box } from 'ink';
import type { TrainingView } from '../../hooks/useTraining.js';
import type { TrainingStatus } from '../../state/appReducer.js';
import type { AsyncState } from '../../hooks/useAsync.js';
import type { Comparison, RankingSummary } from '../../services.js';
import type { LrFindState } from './useLrFind.js';
import { LrFindView } from '../../components/LrFindView.js';
import { CompareView } from '../../components/CompareView.js';
import { RankingView, RANKING_LINES } from '../../components/RankingView.js';
import { TrainProgress } from './TrainProgress.js';

export function TrainSide({ view, status, message, lr, comparison, ranking, width, height }: {
  view: TrainingView;
  status: TrainingStatus;
  message: string | null;
  lr: LrFindState;
  comparison: Comparison | null;
  ranking: AsyncState<RankingSummary> | null;
  width: number;
  height: number;
}) {
  if (lr.phase !== 'closed') return <LrFindView state={lr} width={width} height={height} />;
  if (comparison && status !== 'training') return <CompareView comparison={comparison} width={width} height={height} />;
  const withRanking = ranking !== null && height >= 12;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <TrainProgress view={view} status={status} message={message} width={width} height={withRanking ? height - RANKING_LINES : height} />
      {withRanking ? <RankingView ranking={ranking} width={width} /> : null}
    </Box>
  );
}
