/** The status bar while a large dataset loads: how far it has come, not just "loading". */
import { describe, expect, it } from 'vitest';
import { datasetText } from '../../src/ui/components/StatusBar.js';

describe('dataset loading in the status bar', () => {
  it('shows the fraction read as a bar and a percentage', () => {
    expect(datasetText({ state: 'loading', fraction: 0.42 })).toMatch(/^loading data [█▏▎▍▌▋▊▉·]{10} 42%$/);
    expect(datasetText({ state: 'loading' })).toBe('loading data…');
  });
});
