/** Cold start both ways: a movie nobody rated (metadata → its factors) and a person who rated nothing (a questionnaire → their θ). */
export { ANSWERS, ANSWER_RULE, ERAS, answersByName, answersFromRatings, catalogueGenres, matchGenre, movieFeatures, questionsFor, type Answer, type AnswerRule, type MovieMeta, type Question } from './features.js';
export { chooseLambda, fitRidge, LAMBDA_GRID, predictRidge, type LambdaChoice, type RidgeData, type RidgeFit } from './ridge.js';
export {
  fitMetadataModel,
  foldInMovie,
  mapCoordinates,
  meanPredicted,
  metadataPhi,
  metadataPrior,
  METADATA_MODEL_DEFAULTS,
  movieParts,
  nearestMovies,
  newMovieReport,
  NEW_MOVIE_FOLD_IN,
  predictForUsers,
  whomToRecommend,
  type Audience,
  type MetadataModel,
  type MovieRating,
  type NewMovieReport,
  type NewMovieStep,
} from './newMovie.js';
export { answered, answerLift, answerPopularity, answersOf, fitTasteModel, questionnaireStart, tasteTheta, tastePrior, ANSWER_PICK_WEIGHT, type TasteModel } from './questionnaire.js';
