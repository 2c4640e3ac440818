/** The Map pane's own state: method, custom axes, isolate filter, colour, zoom, cursor, and the field being typed. */
import { useState } from 'react';
import type { MapColor, MapRequest } from '../../services.js';

export const ZOOMS = [1, 2, 4, 8, 16];
export const COLORS: readonly MapColor[] = ['genre', 'year', 'ratings', 'bias'];
/** The text fields: the two custom axes and the isolate filter. */
export type MapField = 'x' | 'y' | 'isolate';

export function useMapState() {
  const [request, setRequest] = useState<MapRequest>({ method: 'pca', x: null, y: null, isolate: null, color: 'genre' });
  const [zoomAt, setZoomAt] = useState(0);
  const [cursor, setCursor] = useState(0);
  const [editing, setEditing] = useState<{ field: MapField; text: string } | null>(null);
  const set = (patch: Partial<MapRequest>) => {
    setRequest((r) => ({ ...r, ...patch }));
    setCursor(0);
  };
  return {
    request,
    /** PCA ↔ UMAP; custom axes replace the method, so switching it clears them. */
    toggleMethod: () => set({ method: request.method === 'pca' ? 'umap' : 'pca', x: null, y: null }),
    nextColor: () => setRequest((r) => ({ ...r, color: COLORS[(COLORS.indexOf(r.color) + 1) % COLORS.length] })),
    zoom: ZOOMS[zoomAt],
    zoomIn: () => setZoomAt((z) => Math.min(ZOOMS.length - 1, z + 1)),
    zoomOut: () => setZoomAt((z) => Math.max(0, z - 1)),
    resetZoom: () => setZoomAt(0),
    cursor,
    setCursor,
    editing,
    edit: (field: MapField) => setEditing({ field, text: request[field] ?? '' }),
    setText: (text: string) => setEditing((e) => (e ? { ...e, text } : e)),
    cancelEdit: () => setEditing(null),
    /** Enter: the typed value becomes the axis or filter (empty clears it). */
    commitEdit: () => {
      if (!editing) return;
      const value = editing.text.trim() || null;
      set({ [editing.field]: value });
      setEditing(null);
    },
  };
}
