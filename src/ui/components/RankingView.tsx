/** Ranking quality after training: are the top 10 any good, and how much do they lean on popular movies. */
import React from 'react';
import { Box, Text } from 'ink';
import type { AsyncState } from '../hooks/useAsync.js';
import type { RankingSummary } from '../services.js';
import { fitItems, fixed } from '../lib/format.js';
import { useHue } from '../lib/theme.js';
import { Spinner } from './Spinner.js';

export const RANKING_LINES = 2;

export function RankingView({ ranking, width }: { ranking: AsyncState<RankingSummary>; width: number }) {
  const hue = useHue();
  const r = ranking.value;
  let body: React.ReactNode;
  if (ranking.state === 'error') {
    body = <Text color={hue('muted')} wrap="truncate-end">ranking@10: {ranking.message}</Text>;
  } else if (!r) {
    body = <Spinner label="ranking@10: scoring every movie for every user…" />;
  } else {
    const top = r.mostRecommended[0];
    // NDCG's 95 % interval from resampling users: whether another run's NDCG really differs
    const ci = r.ndcgInterval ? `NDCG 95 % ${fixed(r.ndcgInterval.low, 3)}–${fixed(r.ndcgInterval.high, 3)}` : null;
    // Narrow (80 columns): the same numbers in the short names of the literature.
    const narrow = width < 66;
    body = narrow ? (
      <>
        <Text wrap="truncate-end">
          <Text bold>top {r.k}</Text> P@{r.k} {fixed(r.precision, 3)} · R@{r.k} {fixed(r.recall, 3)} · NDCG {fixed(r.ndcg, 3)}
        </Text>
        <Text wrap="truncate-end">
          {fitItems([`coverage ${(r.coverage * 100).toFixed(1)}%`, `popularity ${fixed(r.popularityLift, 1)}× average`, ...(ci ? [ci] : [])], width)}
        </Text>
      </>
    ) : (
      <>
        <Text wrap="truncate-end">
          <Text bold>top {r.k}</Text> <Text color={hue('muted')}>(held-out ≥{r.relevantThreshold}★)</Text> precision {fixed(r.precision, 3)} · recall {fixed(r.recall, 3)} · NDCG {fixed(r.ndcg, 3)}
          {r.ndcgInterval && width >= 84 ? <Text color={hue('muted')}> [{fixed(r.ndcgInterval.low, 3)}–{fixed(r.ndcgInterval.high, 3)}]</Text> : null}
        </Text>
        <Text wrap="truncate-end">
          {/* whole items only: the most recommended title joins when it fits */}
          {fitItems([`catalogue coverage ${(r.coverage * 100).toFixed(1)}%`, `popularity ${fixed(r.popularityLift, 1)}× the average movie's`, ...(ci && width < 84 ? [ci] : []), ...(top ? [`top: ${top.title} in ${top.lists} lists`] : [])], width)}
        </Text>
      </>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={RANKING_LINES}>
      {body}
    </Box>
  );
}
