/** First launch without data: offer to download MovieLens 100K, with a progress bar. */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/useKeys.js';
import type { AppServices } from '../../services.js';
import { messageOf } from '../../hooks/useAsync.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { useHue } from '../../lib/theme.js';

type Phase = { state: 'ask' } | { state: 'downloading'; received: number; total: number } | { state: 'failed'; message: string };

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

export function DownloadPrompt({ services, cacheDir, width, active, onDone }: { services: AppServices; cacheDir: string; width: number; active: boolean; onDone: () => void }) {
  const hue = useHue();
  const [phase, setPhase] = useState<Phase>({ state: 'ask' });
  useKeys(
    (_input, key) => {
      if (!key.return || phase.state === 'downloading') return;
      setPhase({ state: 'downloading', received: 0, total: 0 });
      let last = 0;
      services
        .downloadDataset((received, total) => {
          // Progress can come per network chunk: a few updates a second are plenty.
          const now = Date.now();
          if (now - last < 100 && received < total) return;
          last = now;
          setPhase({ state: 'downloading', received, total });
        })
        .then(onDone, (err: unknown) => setPhase({ state: 'failed', message: messageOf(err) }));
    },
    { isActive: active },
  );
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>No MovieLens data found.</Text>
      <Text wrap="wrap">
        factorlens can download MovieLens 100K (100,000 ratings of 1,682 movies by 943 users, about 5 MB) from GroupLens into {cacheDir}.
      </Text>
      <Text color={hue('muted')} wrap="wrap">
        MovieLens is © GroupLens Research, University of Minnesota; it may be used for research, not redistributed. Or quit and pass --data DIR.
      </Text>
      <Text> </Text>
      {phase.state === 'ask' ? <Text color={hue('accent')}>Press Enter to download · q to quit</Text> : null}
      {phase.state === 'downloading' ? (
        <ProgressBar fraction={phase.total > 0 ? phase.received / phase.total : 0} width={width} label={phase.total > 0 ? `${mb(phase.received)} / ${mb(phase.total)} MB` : `${mb(phase.received)} MB`} />
      ) : null}
      {phase.state === 'failed' ? (
        <Text color={hue('bad')} wrap="wrap">
          Download failed: {phase.message} — Enter tries again.
        </Text>
      ) : null}
    </Box>
  );
}
