/** The interpretation API of a trained model: plain values in, plain values out. */
export { biasRanking, DEFAULT_BIAS_OPTIONS, type BiasEntry, type BiasKind, type BiasOptions, type BiasRanking } from './bias.js';
export { moviePca, pcaExtremes, pcaProject, DEFAULT_PCA_OPTIONS, type PcaMovie, type PcaOptions, type PcaResult } from './pca.js';
export { similarMovies, itemCosine, itemNorms, itemSimilarity, similarityName, DEFAULT_SIMILAR_OPTIONS, NN_SIMILARITY_NOTE, type SimilarMovie, type SimilarOptions } from './similar.js';
export {
  averageUser,
  foldIn,
  foldInObjective,
  gaussianPrior,
  populationPrior,
  DEFAULT_FOLD_IN,
  type GaussianPrior,
  type FoldInOptions,
  type FoldInResult,
  type PriorKind,
  type RatedItem,
} from './foldin.js';
export {
  recommend,
  explain,
  averageTasteScores,
  timeRecommend,
  DEFAULT_RECOMMEND_OPTIONS,
  type LatencyReport,
  type Reason,
  type Recommendation,
  type RecommendOptions,
  type RecommendResult,
  type Ranking,
} from './recommend.js';
export {
  fitPickModel,
  pickModelFor,
  pickAndLikeScores,
  explainPickAndLike,
  PICK_AND_LIKE,
  type PickModel,
  type PickAndLikeSettings,
} from './pickAndLike.js';
export {
  movieMap,
  mapNeighboursOf,
  placeUser,
  axisDirection,
  cosineNeighbours,
  mapNeighbours,
  trustScores,
  umapLayout,
  genreList,
  genreNamed,
  type MapHooks,
  COLOR_BY,
  MAP_METHODS,
  DEFAULT_MAP_OPTIONS,
  type ColorBy,
  type MapAxis,
  type MapLayout,
  type MapMethod,
  type MapOptions,
  type MapPoint,
  type MovieMap,
} from './map.js';
export { watchTogether, DEFAULT_TOGETHER_OPTIONS, type TogetherMovie, type TogetherOptions, type TogetherResult } from './together.js';
