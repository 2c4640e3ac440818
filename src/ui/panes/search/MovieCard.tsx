/** One movie: year, genres, ratings, learned bias, your predicted rating, its nearest neighbours. */
import React from 'react';
import { Box, Text } from 'ink';
import type { AppServices, MyRating } from '../../services.js';
import { useAsync } from '../../hooks/useAsync.js';
import { EmptyState, NO_MODEL } from '../../components/EmptyState.js';
import { useHue } from '../../lib/theme.js';
import { count, fixed, padEnd, ratingText, stars, wrapWords } from '../../lib/format.js';

export function MovieCard({ services, index, ratings, hasModel, modelVersion, width, height }: {
  services: AppServices;
  index: number;
  ratings: MyRating[];
  hasModel: boolean;
  modelVersion: number;
  width: number;
  height: number;
}) {
  const hue = useHue();
  const info = services.movieInfo(index);
  const mine = ratings.find((r) => r.index === index);
  const similarityNote = services.modelInfo()?.similarityNote ?? null;
  // nn's note on what its cosine means is wrapped whole; the list gets the lines left
  const noteLines = similarityNote ? wrapWords(similarityNote, width) : [];
  const simRoom = Math.max(1, height - 7 - noteLines.length);
  const learned = useAsync(
    hasModel
      ? async () => {
          const [bias, predicted, similar] = await Promise.all([services.movieBias(index), services.predictFor(ratings, index), services.similar(index, simRoom)]);
          return { bias, predicted, similar };
        }
      : null,
    [services, index, ratings, hasModel, modelVersion, simRoom],
    modelVersion,
  );
  const v = learned.value;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={hue('accent')} wrap="truncate-end">
        {info.title}
      </Text>
      <Text wrap="truncate-end">
        year {info.year ?? '—'} · {info.genres.length > 0 ? info.genres.join(', ') : 'no genres'}
      </Text>
      <Text wrap="truncate-end">
        {count(info.nRatings)} ratings · mean {fixed(info.mean, 2)}
        {v ? ` · learned bias ${v.bias === null ? '— (this model has none)' : fixed(v.bias, 3)}` : ''}
      </Text>
      <Text wrap="truncate-end">
        {/* a movie you rated shows your rating: a prediction for it would only say how well fold-in fits you */}
        {mine !== undefined ? (
          <Text color={hue('good')}>{`you rated it ${ratingText(mine.rating)}★ ${stars(mine.rating)}`}</Text>
        ) : null}
        {v ? <Text color={mine !== undefined ? hue('muted') : undefined}>{mine !== undefined ? ` · the model fits ${fixed(v.predicted, 2)} for you` : `your predicted rating ${fixed(v.predicted, 2)}`}</Text> : null}
      </Text>
      {!hasModel ? (
        <EmptyState>{NO_MODEL}</EmptyState>
      ) : learned.state === 'error' ? (
        <Text color={hue('bad')}>{learned.message}</Text>
      ) : (
        <>
          <Text bold>Most similar{similarityNote ? '' : ' (cosine of the movie factors)'}{learned.state === 'loading' ? ' …' : ''}</Text>
          {noteLines.map((l, i) => (
            <Text key={`n${i}`} color={hue('muted')}>
              {l}
            </Text>
          ))}
          {(v?.similar ?? []).map((m) => (
            <Text key={m.index} wrap="truncate-end">
              {fixed(m.similarity, 3).padStart(6)} {padEnd(m.title, width - 20)} {count(m.nRatings).padStart(6)} r
            </Text>
          ))}
        </>
      )}
    </Box>
  );
}
