/** `map`: the movies of a model in 2-D (PCA, UMAP or custom axes), with neighbours and trustworthiness. */
import { Command, Option } from 'commander';
import { TitleSearch } from '../../data/index.js';
import { COLOR_BY, MAP_METHODS, mapNeighboursOf, movieMap, type ColorBy, type MapMethod, type MovieMap } from '../../model/index.js';
import { GROUP_GLYPHS, fitViewport, renderScatter } from '../../ui/lib/scatter.js';
import { info, jsonOption, out, parseIntArg, printJson, UsageError } from '../common.js';
import { addModelSourceOptions, obtainModel, type ModelSourceFlags } from '../modelSource.js';
import { formatTable } from './data.js';

interface MapFlags extends ModelSourceFlags {
  json?: boolean;
  method: MapMethod;
  x?: string;
  y?: string;
  genre?: string;
  search?: string;
  color: ColorBy;
  top: number;
  movies: number;
  k: number;
  mapSeed: number;
  neighbours?: string;
}

export function registerMap(program: Command): void {
  const cmd = program
    .command('map')
    .description("the movies in 2-D: PCA, UMAP or your own axes (\"Romance..Sci-Fi\"); each movie's neighbours in the model and how many the map keeps (trustworthiness)")
    .addOption(new Option('--method <m>', 'layout').choices([...MAP_METHODS]).default('pca'))
    .addOption(new Option('--x <A..B>', 'custom x axis: from group A to group B, each a genre, titles separated by commas, or a search (replaces the method)'))
    .addOption(new Option('--y <A..B>', 'custom y axis (alone or with --x; the other axis is the largest variance left)'))
    .addOption(new Option('--genre <name>', 'isolate: only this genre\'s movies, laid out on their own'))
    .addOption(new Option('--search <text>', 'isolate: only the titles this search finds'))
    .addOption(new Option('--color <by>', 'colour (glyph) groups').choices([...COLOR_BY]).default('genre'))
    .addOption(new Option('--movies <n>', 'the N most-rated movies (after the isolate filter)').default(1000).argParser(parseIntArg('--movies', 2, 1_000_000)))
    .addOption(new Option('--top <n>', 'how many movies the text table lists (the most-rated)').default(10).argParser(parseIntArg('--top', 0, 100_000)))
    .addOption(new Option('--k <n>', 'neighbours per movie, in the model and on the map').default(10).argParser(parseIntArg('--k', 1, 100)))
    .addOption(new Option('--map-seed <n>', "UMAP's random seed").default(42).argParser(parseIntArg('--map-seed', 0)))
    .addOption(new Option('--neighbours <title>', "a movie's k nearest in the model (cosine), and whether the map keeps them near"))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: MapFlags) => {
    const { weights, vocab, label } = await obtainModel(f);
    const started = Date.now();
    const map = await movieMap(weights, vocab, { method: f.method, x: f.x ?? null, y: f.y ?? null, genre: f.genre ?? null, search: f.search ?? null, color: f.color, movies: f.movies, k: f.k, seed: f.mapSeed });
    const seconds = (Date.now() - started) / 1000;
    let neighbours: { movie: string; trust: number; list: ReturnType<typeof mapNeighboursOf> } | null = null;
    if (f.neighbours) {
      const index = new TitleSearch(vocab.titles, { popularity: vocab.itemCount }).resolve(f.neighbours);
      const at = map.points.findIndex((p) => p.index === index);
      if (at < 0) throw new UsageError(`${vocab.titles[index]} is not on this map (not among its ${map.points.length} most-rated movies${map.filter ? ` of ${map.filter.what}` : ''})`);
      neighbours = { movie: map.points[at].title, trust: map.points[at].trust, list: mapNeighboursOf(weights, map, at) };
    }
    if (f.json) return printJson({ model: label, ...map, method: map.layout, seconds, ...(neighbours ? { neighbours } : {}) });
    info(`${label}: ${map.points.length} movies by ${map.layout === 'axes' ? 'custom axes' : map.layout.toUpperCase()} in ${seconds.toFixed(1)} s`);
    out(textMap(map, f.top));
    if (neighbours) {
      out(`\n${neighbours.movie}: its ${neighbours.list.length} nearest in the model (cosine); ${Math.round(neighbours.trust * 100)}% of them are among its ${map.k} nearest on the map`);
      out(formatTable(['#', 'cosine', 'on map', 'title'], neighbours.list.map((n, i) => [String(i + 1), n.cosine.toFixed(3), n.onMap ? 'near' : '', n.title]), 'rrll'));
    }
  });
}

const WIDTH = 78;
const HEIGHT = 18;
const noYear = (t: string) => t.replace(/\s*\(\d{4}\)\s*$/, '');

/** The map as 80-column text: the axes, a glyph scatter with a few labels, the legend, a table of the most-rated. */
export function textMap(map: MovieMap, top: number): string {
  const glyphOf = new Map(map.legend.map((l, i) => [l.group, GROUP_GLYPHS[Math.min(i, GROUP_GLYPHS.length - 1)]]));
  const pts = map.points.map((p) => ({ x: p.x, y: p.y, label: noYear(p.title).slice(0, 16), glyph: glyphOf.get(p.group) }));
  const grid = renderScatter(pts, -1, fitViewport(pts, 1), WIDTH, HEIGHT, 12, map.layout === 'pca');
  const ends = (a: MovieMap['axes']['x']) => `− ${a.low.map(noYear).join(', ')}  + ${a.high.map(noYear).join(', ')}`;
  const lines = [
    `↑ ${map.axes.y.label}: ${ends(map.axes.y)}`.slice(0, 80),
    ...grid.map((row) => ' ' + row.map((c) => c.ch).join('').trimEnd()),
    `→ ${map.axes.x.label}: ${ends(map.axes.x)}`.slice(0, 80),
    ...wrap(`${map.color}:`, map.legend.map((l, i) => `${GROUP_GLYPHS[Math.min(i, GROUP_GLYPHS.length - 1)]} ${l.group} ${l.count}`), 80),
    `trustworthiness@${map.k} ${map.trustworthiness.toFixed(3)}: model neighbours kept on the map`,
  ];
  if (map.filter) lines.push(`isolated: ${map.filter.what}, ${map.filter.count} movies`);
  if (map.note) lines.push(`note: ${map.note}`);
  if (top > 0) {
    const rows = [...map.points].sort((a, b) => b.nRatings - a.nRatings).slice(0, top);
    lines.push('', formatTable(['x', 'y', 'trust', map.color, 'title'], rows.map((p) => [p.x.toFixed(3), p.y.toFixed(3), p.trust.toFixed(1), p.group, p.title]), 'rrrll').trimEnd());
  }
  return lines.join('\n');
}

/** Items after a head, joined by two spaces, broken into lines of at most `width`. */
function wrap(head: string, items: string[], width: number): string[] {
  const lines: string[] = [];
  let line = head;
  for (const item of items) {
    if (line.length + 2 + item.length > width && line !== head) {
      lines.push(line);
      line = ' '.repeat(head.length);
    }
    line += '  ' + item;
  }
  lines.push(line);
  return lines;
}
