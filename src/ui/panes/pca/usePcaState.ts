/** The PCA pane's own state: which pair of components, zoom, the point under the cursor. */
import { useState } from 'react';

export const COMPONENTS = 3;
export const PAIRS: readonly [number, number][] = [
  [0, 1],
  [0, 2],
  [1, 2],
];
export const ZOOMS = [1, 2, 4, 8, 16];

export function usePcaState() {
  const [pair, setPair] = useState(0);
  const [zoomAt, setZoomAt] = useState(0);
  const [cursor, setCursor] = useState(0);
  return {
    pair: PAIRS[pair],
    nextPair: () => setPair((p) => (p + 1) % PAIRS.length),
    zoom: ZOOMS[zoomAt],
    zoomIn: () => setZoomAt((z) => Math.min(ZOOMS.length - 1, z + 1)),
    zoomOut: () => setZoomAt((z) => Math.max(0, z - 1)),
    resetZoom: () => setZoomAt(0),
    cursor,
    setCursor,
  };
}
