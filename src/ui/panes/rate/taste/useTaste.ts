/**
 * The taste questionnaire's state in the Rate pane: the current model's questions (genres and eras),
 * one answer each — like, dislike or no opinion — and the question the cursor is on. The answers start
 * your recommendations before any rating, and stay their starting point as ratings arrive.
 */
import { useMemo, useState } from 'react';
import type { AppServices, TasteAnswer, TasteQuestion } from '../../../services.js';
import { useAsync } from '../../../hooks/useAsync.js';

/** Questions a row of the grid holds at this width. */
export function perRow(width: number): number {
  return Math.max(1, Math.floor(width / 13));
}

const NO_QUESTIONS: TasteQuestion[] = [];

export function useTaste(services: AppServices, hasModel: boolean, modelVersion: number, wanted: boolean) {
  const questions = useAsync<TasteQuestion[]>(hasModel && wanted ? () => services.questionnaire() : null, [services, hasModel, modelVersion, wanted], modelVersion);
  // one empty list while the questions load: a fresh [] each render would change `answers` every render,
  // and the recommendations that depend on them would be asked for again and again
  const list = questions.value ?? NO_QUESTIONS;
  // answers by question name, so a retrained model with the same questions keeps them
  const [byName, setByName] = useState<Record<string, TasteAnswer>>({});
  const [at, setAt] = useState(0);
  const answers: TasteAnswer[] = useMemo(() => list.map((q) => byName[q.name] ?? 'neutral'), [list, byName]);
  const answered = answers.some((a) => a !== 'neutral');
  const liked = list.filter((_, q) => answers[q] === 'like').map((q) => q.name);
  const disliked = list.filter((_, q) => answers[q] === 'dislike').map((q) => q.name);
  return {
    questions,
    list,
    answers,
    answered,
    liked,
    disliked,
    at: Math.min(at, Math.max(0, list.length - 1)),
    /** Moves the cursor by `delta` questions (clamped). */
    move: (delta: number) => setAt((a) => Math.max(0, Math.min(list.length - 1, Math.min(a, list.length - 1) + delta))),
    answer: (a: TasteAnswer) => {
      const q = list[Math.min(at, list.length - 1)];
      if (q) setByName((m) => ({ ...m, [q.name]: a }));
    },
    clear: () => setByName({}),
  };
}

export type Taste = ReturnType<typeof useTaste>;
