/**
 * A movie nobody has rated yet (Search, Ctrl+N): its title, year and genres; the model starts its
 * factors from what that metadata predicts, then shows whom to recommend it to, where it lands on the
 * PCA map, and — as ratings arrive (a user id and stars) — how they move it.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../../hooks/useKeys.js';
import { useHue } from '../../../lib/theme.js';
import { fixed, padEnd, truncate } from '../../../lib/format.js';
import { fitViewport, renderScatter, type ScatterPoint } from '../../../lib/scatter.js';
import { ScatterView } from '../../../components/ScatterView.js';
import { Para } from '../../../components/Para.js';
import type { AppServices, NewMovieInput, NewMovieView as View, PcaMap } from '../../../services.js';
import { formKey, type NewMovieForm } from './newMovieForm.js';
import { useNewMovie } from './useNewMovie.js';

const FORM_WIDTH = 30;

export function NewMovieView({ services, initialTitle, reopen, active, width, height, onClose }: { services: AppServices; initialTitle: string; reopen?: NewMovieInput; active: boolean; width: number; height: number; onClose: () => void }) {
  const hue = useHue();
  const genres = services.genres();
  const m = useNewMovie(services, initialTitle, reopen);
  useKeys(
    (input, key) => {
      const a = formKey(m.form, input, key, genres);
      if (a?.type === 'close') return onClose();
      m.apply(a);
    },
    { isActive: active },
  );
  const right = width - FORM_WIDTH - 2;
  return (
    <Box flexDirection="row" width={width} height={height}>
      <Box flexDirection="column" width={FORM_WIDTH} marginRight={2}>
        <Form form={m.form} genres={genres} width={FORM_WIDTH} height={height - 3} rated={m.view ? m.view.steps.length - 1 : m.form.ratings.length} />
        <Box height={3} overflow="hidden">
          <Para color={m.status.state === 'error' ? hue('bad') : hue('muted')} width={FORM_WIDTH} lines={3}>
            {m.status.message || (m.view ? (m.view.keptIn ? `kept with snapshot ${m.view.keptIn}` : 'not kept: save the model as a snapshot to keep it') : 'Enter: what the model makes of it')}
          </Para>
        </Box>
      </Box>
      <Box flexDirection="column" width={right}>
        {m.view ? <Result view={m.view} map={m.map} width={right} height={height} /> : <Text color={hue('muted')} wrap="wrap">Its factors start from its genres and year: a ridge regression of the trained movies' factors on theirs, fitted once per model.</Text>}
      </Box>
    </Box>
  );
}

function Form({ form, genres, width, height, rated }: { form: NewMovieForm; genres: string[]; width: number; height: number; rated: number }) {
  const hue = useHue();
  const line = (field: NewMovieForm['field'], label: string, value: string, placeholder: string) => {
    const on = form.field === field;
    return (
      <Text key={field} wrap="truncate-end">
        <Text color={on ? hue('accent') : undefined} bold={on}>
          {padEnd(label, 7)}
        </Text>
        {value ? <Text>{truncate(value, width - 9)}</Text> : <Text color={hue('muted')}>{placeholder}</Text>}
        {on ? <Text inverse> </Text> : null}
      </Text>
    );
  };
  // genres: a few lines of names, ticked ones marked, the cursor's inverse while the field is on
  const genreRows = Math.max(2, height - 6);
  const cells = genres.map((g, i) => ({ g, on: form.genres.includes(g), cursor: form.field === 'genres' && i === form.genreAt }));
  const lines: (typeof cells)[] = [[]];
  let used = 0;
  for (const c of cells) {
    const w = c.g.length + 3;
    if (used + w > width && lines[lines.length - 1].length) {
      lines.push([]);
      used = 0;
    }
    lines[lines.length - 1].push(c);
    used += w;
  }
  const at = Math.max(0, lines.findIndex((l) => l.some((c) => c.cursor)));
  const from = Math.max(0, Math.min(at - Math.floor(genreRows / 2), lines.length - genreRows));
  return (
    <Box flexDirection="column">
      {line('title', 'title', form.title, 'the new movie')}
      {line('year', 'year', form.year, 'e.g. 1998')}
      <Text color={form.field === 'genres' ? hue('accent') : undefined} bold={form.field === 'genres'}>
        genres <Text color={hue('muted')}>{form.field === 'genres' ? '←/→ space' : `${form.genres.length} ticked`}</Text>
      </Text>
      {lines.slice(from, from + genreRows).map((l, k) => (
        <Text key={k} wrap="truncate-end">
          {l.map((c) => (
            <Text key={c.g} inverse={c.cursor} color={c.on ? hue('good') : undefined}>
              {`${c.on ? '✓' : '·'}${c.g}`}
            </Text>
          )).flatMap((el, i) => (i ? [<Text key={`s${i}`}>{'  '}</Text>, el] : [el]))}
        </Text>
      ))}
      <Text bold>a rating arrives</Text>
      {line('user', ' user', form.user, 'a user id, e.g. 13')}
      {line('stars', ' stars', form.stars, '1–5')}
      <Text color={hue('muted')} wrap="truncate-end">
        {rated ? `${rated} rating(s) so far` : 'none yet'}
      </Text>
    </Box>
  );
}

function Result({ view, map, width, height }: { view: View; map: PcaMap | null; width: number; height: number }) {
  const hue = useHue();
  const s0 = view.steps[0];
  const last = view.steps[view.steps.length - 1];
  const whomRows = Math.max(3, Math.min(view.whom.length, Math.floor((height - 8) / 2)));
  const mapHeight = Math.max(0, height - 6 - whomRows - (view.steps.length > 1 ? 2 : 0));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate-end">
        {view.title} <Text color={hue('muted')}>{view.features.join(' · ') || 'no genres or year'}</Text>
      </Text>
      <Text wrap="truncate-end" color={hue('muted')}>
        {`from metadata: mean ★ ${fixed(s0.meanPredicted, 2)}${s0.bias !== null ? `, bias ${fixed(s0.bias, 2)}` : ''}`}
        {view.steps.length > 1 ? `  → after ${last.ratings}: ${fixed(last.meanPredicted, 2)}${last.bias !== null ? `, bias ${fixed(last.bias, 2)}` : ''}` : ''}
      </Text>
      {view.steps.length > 1 ? (
        <Text wrap="truncate-end">
          {view.steps
            .slice(1)
            .slice(-4)
            .map((s) => `user ${s.arrived?.userId} gave ${s.arrived?.rating} (predicted ${fixed(s.arrived?.predictedBefore, 1)})`)
            .join(' · ')}
        </Text>
      ) : null}
      <Text bold>whom to recommend it to</Text>
      {view.whom.slice(0, whomRows).map((a) => (
        <Text key={a.userId} wrap="truncate-end">
          {`user ${a.userId.padEnd(4)} ★${fixed(a.predicted, 2)} #${a.rank} `}
          <Text color={hue('muted')}>{a.favourites.map((f) => truncate(f.title, 22)).join('; ')}</Text>
        </Text>
      ))}
      <Text wrap="truncate-end">
        <Text bold>map </Text>
        {view.map ? view.map.coords.map((c, k) => `PC${k + 1} ${fixed(c, 2)}`).join(' ') : 'no factors'}
        <Text color={hue('muted')}>{view.nearest.length ? `  near ${view.nearest.slice(0, 2).map((n) => truncate(n.title, 24)).join('; ')}` : ''}</Text>
      </Text>
      {map && view.map && mapHeight >= 4 ? <MovieMap map={map} coords={view.map.coords} title={view.title} width={width} height={mapHeight} /> : null}
    </Box>
  );
}

/** The PCA pane's first two components with the new movie as the highlighted point (◉). */
function MovieMap({ map, coords, title, width, height }: { map: PcaMap; coords: number[]; title: string; width: number; height: number }) {
  const points: ScatterPoint[] = [...map.points.slice(0, 120).map((p) => ({ x: p.coords[0] ?? 0, y: p.coords[1] ?? 0, label: truncate(p.title, 14) })), { x: coords[0] ?? 0, y: coords[1] ?? 0, label: title }];
  const cursor = points.length - 1;
  const view = fitViewport(points, 1);
  return <ScatterView grid={renderScatter(points, cursor, view, width, height, Math.floor(height / 2))} />;
}
