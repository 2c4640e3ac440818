/**
 * The one door to TensorFlow.js. PROD mode silences tfjs's console advice ("install tfjs-node"),
 * which would otherwise land in the middle of the TUI or a --json document.
 */
import * as tfjs from '@tensorflow/tfjs';

tfjs.env().set('PROD', true);

export * from '@tensorflow/tfjs';
