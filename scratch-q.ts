import { loadDataset, makeSplit } from './src/data/index.js';
import { trainModel } from './src/model/train/train.js';
import { selectRows } from './src/model/evaluate/metrics.js';
import { fitTasteModel, questionnaireStart } from './src/model/coldstart/questionnaire.js';
import { answersByName } from './src/model/coldstart/features.js';
import { recommend } from './src/model/interpret/recommend.js';
import { pickModelFor } from './src/model/interpret/pickAndLike.js';
const ds = await loadDataset('/work/shared/data/ml-100k');
const split = makeSplit(ds, 'random', {validPct: 0.2, seed: 42});
const r = await trainModel(ds, split, {});
const train = selectRows(ds, split.train);
const tm = fitTasteModel(r.weights, r.vocab, train);
const pick = pickModelFor(ds, split);
for (const [likes, dislikes] of [[['Sci-Fi','Action'],['Romance']], [['Romance','Drama'],['Action']], [['Children\'s','Animation'],[]], [['Horror'],[]], [['1970s'],[]], [['Film-Noir','before 1960'],[]]]) {
  const ans = answersByName(tm.questions, likes, dislikes);
  const q = questionnaireStart(tm, ans, pick);
  const rec = recommend(r.weights, r.vocab, [], { pick: q.pick, foldIn: { prior: q.prior } });
  console.log(likes, dislikes, rec.recommendations.map(x => `${x.title} [${x.genres.join('|')}]`).join('; '));
}
