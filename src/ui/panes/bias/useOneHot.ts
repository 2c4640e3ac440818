/** The one-hot view's state: open or not, which user (by row), and the report for that user. */
import { useState } from 'react';
import type { AppServices, OneHotReport } from '../../services.js';
import { useAsync, type AsyncState } from '../../hooks/useAsync.js';

export interface OneHotState {
  open: boolean;
  toggle(): void;
  user: number;
  /** Moves the chosen user by delta rows, wrapping around the known users. */
  step(delta: number): void;
  report: AsyncState<OneHotReport>;
}

export function useOneHot(services: AppServices, hasModel: boolean, modelVersion: number, active: boolean): OneHotState {
  const [open, setOpen] = useState(false);
  const [user, setUser] = useState(0);
  const report = useAsync(open && hasModel && active ? () => services.oneHot(user) : null, [services, open, hasModel, active, user, modelVersion], modelVersion);
  const nUsers = report.value?.nUsers ?? 1;
  return {
    open,
    toggle: () => setOpen((o) => !o),
    user: Math.min(user, nUsers - 1),
    step: (delta) => setUser((u) => (((u + delta) % nUsers) + nUsers) % nUsers),
    report,
  };
}
