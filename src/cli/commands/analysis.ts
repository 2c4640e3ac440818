/** `bias`, `pca`, `similar`, `recommend`: the interpretation API of a trained model. */
import { Command, Option } from 'commander';
import { TitleSearch, matchToCatalogue } from '../../data/index.js';
import { quoted, terminalSafe } from '../../data/terminalText.js';
import { parseNumberText } from '../../data/numbers.js';
import { answersByName, biasRanking, fitTasteModel, kindOf, watchTogether, type TogetherMovie, type Ranking, moviePca, NN_SIMILARITY_NOTE, pcaExtremes, questionnaireStart, recommend, similarMovies, similarityName, type BiasEntry, type GaussianPrior, type ModelWeights, type PickModel, type RatedItem, type Vocab } from '../../model/index.js';
import { UsageError, info, jsonOption, parseIntArg, printJson, out } from '../common.js';
import { addModelSourceOptions, obtainModel, profileModel, readProfile, type ModelSourceFlags, type ObtainedModel } from '../modelSource.js';
import { formatTable } from './data.js';

interface Common extends ModelSourceFlags {
  json?: boolean;
}

/** Writes a line; tables from formatTable already end with one. */
const fix = (x: number, d = 3) => x.toFixed(d);

export function registerAnalysis(program: Command): void {
  registerBias(program);
  registerPca(program);
  registerSimilar(program);
  registerRecommend(program);
}

function registerBias(program: Command): void {
  const cmd = program
    .command('bias')
    .description('movies (or users) the model rates up or down regardless of taste: the learned biases (dotbias)')
    .addOption(new Option('--kind <kind>', 'movie | user').default('movie').choices(['movie', 'user']))
    .addOption(new Option('--top <n>', 'how many at each end').default(5).argParser(parseIntArg('--top', 1, 1000)))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: Common & { kind: 'movie' | 'user'; top: number }) => {
    const { weights, vocab, label } = await obtainModel(f);
    const r = biasRanking(weights, vocab, { kind: f.kind, top: f.top });
    if (f.json) return printJson({ model: label, ...r });
    const table = (title: string, rows: BiasEntry[]) =>
      `${title}\n` +
      formatTable(
        ['#', 'bias', 'ratings', 'mean', f.kind === 'movie' ? 'title' : 'user'],
        rows.map((e, k) => [String(k + 1), fix(e.bias), String(e.nRatings), fix(e.meanRating, 2), e.name]),
        'rrrrl',
      );
    out(`${label}\n`);
    const movie = f.kind === 'movie';
    out(table(movie ? 'Highest movie bias (liked beyond what taste explains)' : 'Highest user bias (the most generous raters)', r.top));
    out('');
    out(table(movie ? 'Lowest movie bias (disliked even by people who like this kind of movie)' : 'Lowest user bias (the harshest raters)', r.bottom));
  });
}

function registerPca(program: Command): void {
  const cmd = program
    .command('pca')
    .description('principal components of the movie factors: what the model\'s main axes of taste mean')
    .addOption(new Option('--movies <n>', 'use the N most-rated movies').default(1000).argParser(parseIntArg('--movies', 2, 1_000_000)))
    .addOption(new Option('--components <k>', 'components to compute').default(3).argParser(parseIntArg('--components', 1, 1024)))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: Common & { movies: number; components: number }) => {
    const { weights, vocab, label } = await obtainModel(f);
    const p = moviePca(weights, vocab, { movies: f.movies, components: f.components });
    if (f.json) return printJson({ model: label, ...p });
    out(`${label}: PCA of the ${p.movies.length} most-rated movies' factors\n`);
    p.explainedVariance.forEach((ratio, c) => {
      const { positive, negative } = pcaExtremes(p, c, 5);
      out(`PC${c + 1}  ${(ratio * 100).toFixed(1)}% of the variance`);
      out(
        formatTable(
          ['+ end', 'coord', '− end', 'coord'],
          positive.map((m, k) => [m.title, fix(m.coords[c]), negative[k]?.title ?? '', negative[k] ? fix(negative[k].coords[c]) : '']),
          'lrlr',
        ),
      );
    });
  });
}

function registerSimilar(program: Command): void {
  const cmd = program
    .command('similar')
    .description("the most similar movies: the model's own neighbours (item-kNN), else factor vectors pointing the same way (cosine)")
    .argument('<title>', 'a movie title; fuzzy, e.g. "star wars 1977"')
    .addOption(new Option('--top <n>', 'how many').default(10).argParser(parseIntArg('--top', 1, 1000)))
    .addOption(new Option('--min-ratings <n>', 'skip movies with fewer ratings (their vectors are noise)').default(20).argParser(parseIntArg('--min-ratings', 0)))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (title: string, f: Common & { top: number; minRatings: number }) => {
    const { weights, vocab, label } = await obtainModel(f);
    const index = titleSearch(vocab).resolve(title);
    const sims = similarMovies(weights, vocab, index, { top: f.top, minRatings: f.minRatings });
    const kind = kindOf(weights);
    const note = kind.shows.popularityInFactors ? NN_SIMILARITY_NOTE : kind.neighbours ? similarityName(weights) ?? undefined : undefined;
    if (f.json) return printJson({ model: label, movie: { index, title: vocab.titles[index] }, minRatings: f.minRatings, similar: sims, ...(note ? { note } : {}) });
    out(`${label}: most similar to ${terminalSafe(vocab.titles[index])} (movies with ≥ ${f.minRatings} ratings)\n`);
    if (note) out(`note: ${note}\n`);
    if (!sims.length) {
      const most = Math.max(...vocab.itemCount);
      out(`no other movie has ${f.minRatings} ratings or more (the most-rated has ${most}): lower --min-ratings\n`);
      return;
    }
    out(formatTable(['#', kind.neighbours ? 'similarity' : 'cosine', 'ratings', 'title'], sims.map((s, k) => [String(k + 1), fix(s.similarity), String(s.nRatings), s.title]), 'rrrl'));
  });
}

function registerRecommend(program: Command): void {
  const cmd = program
    .command('recommend')
    .description('rate a few movies, get recommendations: fold a new user into the trained model')
    .addOption(new Option('--rate <title=stars>', 'a rating, repeatable: --rate "Star Wars (1977)=5"').argParser(collect).default([]))
    .addOption(new Option('--top <n>', 'how many').default(10).argParser(parseIntArg('--top', 1, 1000)))
    .addOption(new Option('--explain', 'show which of your ratings (and how much popularity) put each recommendation on the list'))
    .addOption(new Option('--rank <how>', 'pick-like: what you would pick (popularity, movies liked by people who liked yours) × what you would like (the model\'s stars); stars: by predicted stars').choices(['pick-like', 'stars']))
    .addOption(new Option('--likes <list>', 'the taste questionnaire before any rating: genres or eras you like, e.g. "Sci-Fi,Action" or "1970s" (comma-separated)'))
    .addOption(new Option('--dislikes <list>', 'the questionnaire: genres or eras you dislike, e.g. Romance'))
    .addOption(new Option('--profile <name>', "the app's profile: its ratings (--rate adds or overrides), and its last model unless --snapshot names one"))
    .addOption(new Option('--together <names>', 'watch together: two or more profiles, comma-separated; the average-taste and least-misery lists with each person\'s predicted stars'))
    .addOption(jsonOption());
  addModelSourceOptions(cmd).action(async (f: Common & { rate: string[]; top: number; explain?: boolean; rank?: Ranking; likes?: string; dislikes?: string; profile?: string; together?: string }) => {
    if (f.together !== undefined) return together(f);
    const parsed = f.rate.map(parseRate);
    const profile = f.profile ? await readProfile(f.profile) : null;
    const obtained = profile && !f.snapshot ? await profileModel(profile, f) : await obtainModel(f);
    const { weights, vocab, label } = obtained;
    let pick = obtained.pick;
    const given = resolveRatings(weights, vocab, parsed);
    const ratings = profile ? [...profileRatings(profile.ratings, vocab, given), ...given] : given;
    if (f.rank === 'pick-like' && !pick) throw new UsageError("--rank pick-like needs the model's training ratings: pass the --data it was trained on (or --rank stars)");
    if (!pick && f.rank === undefined) info("note: ranked by predicted stars: the model's training ratings are not here for pick × like (pass the --data it was trained on)");
    const asked = questionnaire(obtained, f.likes, f.dislikes, ratings.length);
    let prior: GaussianPrior | undefined;
    if (asked) {
      prior = asked.prior;
      pick = asked.pick;
    }
    const r = recommend(weights, vocab, ratings, { top: f.top, explain: f.explain ? 3 : 0, pick, ranking: f.rank ?? null, foldIn: prior ? { prior } : {} });
    const { fitted, ...rest } = r;
    if (f.json) return printJson({ model: label, ratings: fitted, ...(asked ? { questionnaire: asked.summary } : {}), ...rest });
    const start = asked ? `your answers (likes ${asked.summary.likes.join(', ') || 'none'}; dislikes ${asked.summary.dislikes.join(', ') || 'none'})` : '';
    out(
      `${label}: ${
        ratings.length === 0
          ? asked
            ? `no ratings yet: the list for ${start}`
            : 'no ratings yet: the average-taste list'
          : `recommendations from ${ratings.length} rating(s)${asked ? `, starting from ${start}` : ''}`
      }`,
    );
    if (asked) info(`questionnaire: fitted on ${asked.summary.users} trained users (ridge λ ${asked.summary.lambda}, chosen by 5-fold CV; their ratings from answers alone RMSE ${fix(asked.summary.cvRmse, 3)})`);
    out(
      r.ranking === 'pick-like'
        ? `ranked by pick × like: what you would pick (popularity, and movies liked by people who liked yours) × what you would like (predicted stars)${r.nicheBoost > 0 ? `; your ratings are a niche taste, so it leans to it (×${fix(r.nicheBoost, 1)})` : ''}\n`
        : r.ranking === 'score'
          ? `ranked by the ${weights.kind} model's own scores (it predicts no stars)\n`
          : 'chosen by predicted stars plus half your lift over the average-taste user, listed by predicted stars\n',
    );
    const rows: string[][] = [];
    const pct = (x: number) => `${Math.round(100 * x)}%`;
    r.recommendations.forEach((x, k) => {
      rows.push([String(k + 1), fix(x.predicted, 2), String(x.nRatings), x.lowEvidence ? 'few ratings' : '', x.title, x.genres.join('|')]);
      if (f.explain && x.popularityShare !== null) rows.push(['', '', '', '', `  popularity: ${pct(x.popularityShare)} of the pick`, '']);
      for (const why of x.reasons) {
        const pickPart = why.share !== null ? `${why.share < 0 ? '↓' : '↑'} ${why.title}: you ${why.rating}, ${pct(Math.abs(why.share))} of the pick${why.share < 0 ? ' (against)' : ''}; ` : `↑ ${why.title}: you ${why.rating}, `;
        rows.push(['', '', '', '', `  ${pickPart}expected ${fix(why.expected, 1)}, cosine ${fix(why.similarity, 2)}`, '']);
      }
    });
    out(formatTable(['#', kindOf(weights).shows.ratings ? 'predicted' : 'score', 'ratings', '', 'title', 'genres'], rows, 'rrrlll'));
    if (f.explain && kindOf(weights).shows.popularityInFactors) info(`note on the ↑ lines: ${NN_SIMILARITY_NOTE}`);
    if (fitted.length && kindOf(weights).shows.ratings) info(`your ratings, and what the model fits for them: ${fitted.map((x) => `${terminalSafe(x.title)} ${x.rating}→${fix(x.predicted, 1)}`).join('; ')}`);
  });
}

/** The questionnaire's start for --likes/--dislikes: fitted on the model's training ratings, which must be here. */
function questionnaire(
  m: ObtainedModel,
  likes: string | undefined,
  dislikes: string | undefined,
  nRatings: number,
): { prior: GaussianPrior; pick: PickModel; summary: { likes: string[]; dislikes: string[]; questions: string[]; users: number; lambda: number; cvRmse: number } } | null {
  if (likes === undefined && dislikes === undefined) return null;
  if (!m.train || !m.pick) throw new UsageError("--likes/--dislikes: the questionnaire is fitted on the model's training ratings: pass the --data it was trained on");
  const split = (x: string | undefined) => (x ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const tm = fitTasteModel(m.weights, m.vocab, m.train.rows);
  const answers = answersByName(tm.questions, split(likes), split(dislikes));
  const names = (a: string) => tm.questions.filter((_, q) => answers[q] === a).map((q) => q.name);
  const summary = { likes: names('like'), dislikes: names('dislike'), questions: tm.questions.map((q) => q.name), users: tm.users, lambda: tm.lambda.lambda, cvRmse: tm.cvRmse };
  const start = questionnaireStart(tm, answers, m.pick, nRatings);
  return { prior: start.prior, pick: start.pick, summary };
}

/** `recommend --together a,b`: each profile folded in, movies none of them rated, by mean and by lowest predicted stars. */
async function together(f: Common & { together?: string; top: number; rate: string[] }): Promise<void> {
  const names = [...new Set((f.together ?? '').split(',').map((n) => n.trim()).filter(Boolean))];
  if (names.length < 2) throw new UsageError(`--together needs two or more profile names separated by commas, got "${terminalSafe(f.together ?? '').slice(0, 80)}"`);
  if (f.rate.length) throw new UsageError('--together takes each person\'s ratings from their profile: leave out --rate');
  const profiles = await Promise.all(names.map(readProfile));
  const { weights, vocab, label } = f.snapshot ? await obtainModel(f) : await profileModel(profiles[0], f);
  const people = profiles.map((p) => ({ name: p.name, ratings: profileRatings(p.ratings, vocab, []) }));
  const r = watchTogether(weights, vocab, people, { top: f.top });
  if (f.json) return printJson({ model: label, ...r });
  out(`${label}: watching together — ${people.map((p) => `${p.name} (${p.ratings.length} ratings)`).join(', ')}\n`);
  const short = (n: string) => n.slice(0, 8);
  const table = (heading: string, key: 'mean' | 'min', rows: TogetherMovie[]) =>
    `${heading}\n` + formatTable(['#', key, ...r.people.map(short), 'title'], rows.map((m, k) => [String(k + 1), fix(m[key], 2), ...m.predicted.map((x) => fix(x, 1)), m.title]), 'rr' + 'r'.repeat(r.people.length) + 'l');
  out(table('Average taste: the highest mean predicted stars', 'mean', r.average));
  out(table('Least misery: the highest lowest predicted stars (nobody minds)', 'min', r.leastMisery));
}

/** A profile's ratings as rows of this model (by item id and title); movies the model lacks or --rate gives again are left out. */
function profileRatings(list: { item: string; title: string; rating: number }[], vocab: Vocab, given: RatedItem[]): RatedItem[] {
  const { matched, elsewhere } = matchToCatalogue(vocab, list);
  const overridden = new Set(given.map((g) => g.item));
  const out = matched.filter((r) => !overridden.has(r.index)).map((r) => ({ item: r.index, rating: r.rating }));
  if (elsewhere.length > 0) info(`note: ${elsewhere.length} of the profile's ratings are of movies this model does not have (another dataset); they are left out`);
  return out;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "Title=4" (the last "=" splits, so titles may contain one); stars in decimal (src/data/numbers.ts). */
function parseRate(text: string): { title: string; rating: number } {
  const at = text.lastIndexOf('=');
  const title = at < 0 ? '' : text.slice(0, at).trim();
  const stars = at < 0 ? null : parseNumberText(text.slice(at + 1).trim(), 'stars');
  if (!title || !stars?.ok) {
    const why = title && stars && !stars.ok ? ` (the stars ${stars.problem})` : '';
    throw new UsageError(`--rate expects "TITLE=STARS", e.g. --rate "Star Wars (1977)=5"${why}, got "${terminalSafe(text).slice(0, 120)}"`);
  }
  return { title, rating: stars.value };
}

/**
 * The stars a rating may have: the data's scale kept in the vocabulary; for older snapshots without
 * it, fastai's (0, 5.5) means 1–5 stars and any other y_range accepts values strictly inside it.
 */
export function ratingBounds(w: ModelWeights, vocab?: Vocab): { min: number; max: number; strict: boolean } {
  if (vocab?.scale) return { min: vocab.scale.min, max: vocab.scale.max, strict: false };
  const [lo, hi] = w.yRange;
  if (lo === 0 && hi === 5.5) return { min: 1, max: 5, strict: false };
  return { min: lo, max: hi, strict: true };
}

function resolveRatings(w: ModelWeights, vocab: Vocab, parsed: { title: string; rating: number }[]): RatedItem[] {
  const search = titleSearch(vocab);
  const b = ratingBounds(w, vocab);
  const seen = new Map<number, string>();
  return parsed.map(({ title, rating }) => {
    const ok = b.strict ? rating > b.min && rating < b.max : rating >= b.min && rating <= b.max;
    if (!ok) throw new UsageError(`rating ${rating} for "${quoted(title)}" is outside this model's scale (${b.min} to ${b.max})`);
    const item = search.resolve(title);
    if (seen.has(item)) throw new UsageError(`"${quoted(title)}" and "${quoted(seen.get(item)!)}" are the same movie (${quoted(vocab.titles[item])}): rate it once`);
    seen.set(item, title);
    return { item, rating };
  });
}

function titleSearch(vocab: Vocab): TitleSearch {
  return new TitleSearch(vocab.titles, { popularity: vocab.itemCount });
}
