/** The add-movie view's state: the form, what the model made of the movie (from the session), and the PCA map it lands on. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppServices, NewMovieInput, NewMovieView, PcaMap } from '../../../services.js';
import { messageOf } from '../../../hooks/useAsync.js';
import { newMovieForm, type NewMovieForm, type FormAction } from './newMovieForm.js';

/** The PCA pane's map (the same movies and components), so the new movie lands where that pane would draw it. */
export const MAP_MOVIES = 1000;
export const MAP_COMPONENTS = 3;

/** `reopen`: a movie added earlier (kept with the snapshot): its form filled in and its report shown again. */
export function useNewMovie(services: AppServices, initialTitle: string, reopen?: NewMovieInput) {
  const [form, setForm] = useState<NewMovieForm>(() =>
    reopen ? { ...newMovieForm(reopen.title), year: reopen.year === null ? '' : String(reopen.year), genres: [...reopen.genres], ratings: [...reopen.ratings] } : newMovieForm(initialTitle),
  );
  const [view, setView] = useState<NewMovieView | null>(null);
  const [map, setMap] = useState<PcaMap | null>(null);
  const [status, setStatus] = useState<{ state: 'idle' | 'working' | 'error'; message: string }>({ state: 'idle', message: '' });
  const busy = useRef(false);

  const apply = useCallback(
    (a: FormAction) => {
      if (!a || a.type === 'close') return;
      if (a.type === 'edit') return setForm(a.form);
      if (a.type === 'invalid') {
        setForm(a.form);
        return setStatus({ state: 'error', message: a.problem });
      }
      if (busy.current) return;
      busy.current = true;
      setStatus({ state: 'working', message: view ? 'folding in the rating…' : 'fitting the metadata model on the trained movies…' });
      // the rating joins the form only once the model has taken it
      Promise.all([services.addMovie(a.movie), map ? Promise.resolve(map) : services.pca(MAP_MOVIES, MAP_COMPONENTS).catch(() => null)]).then(
        ([v, m]) => {
          busy.current = false;
          setView(v);
          setMap(m);
          setForm(a.form);
          setStatus({ state: 'idle', message: '' });
        },
        (err: unknown) => {
          busy.current = false;
          setStatus({ state: 'error', message: messageOf(err) });
        },
      );
    },
    [services, view, map],
  );
  // a reopened movie shows what the model makes of it at once (adding it again merges, by user id: nothing doubles)
  const reopened = useRef(false);
  useEffect(() => {
    if (!reopen || reopened.current) return;
    reopened.current = true;
    apply({ type: 'submit', form, movie: reopen });
  }, [reopen, apply, form]);
  return { form, view, map, status, apply };
}
