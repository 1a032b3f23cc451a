// The window's layout: split pane sizes (palette, inspector, bottom panel) and whether the bottom panel
// is maximised. Sizes follow the window (clamped when it shrinks) and are remembered per window
// (model/paneSizes.ts) when a drag or a key press ends.
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import {
  clampAll,
  clampSize,
  loadSizes,
  maxSize,
  MIN_SIZES,
  saveSizes,
  type Pane,
  type PaneSizes,
} from '../model/paneSizes.js';

/** This window's id, kept in window.name so it survives reloads (and differs between windows). */
function windowId(): string {
  if (!/^rnn-studio-w-/.test(window.name))
    window.name = `rnn-studio-w-${Math.random().toString(36).slice(2, 10)}`;
  return window.name;
}

const viewport = () => ({ width: window.innerWidth, height: window.innerHeight });

export const useLayoutStore = defineStore('layout', () => {
  const id = windowId();
  const sizes = reactive<PaneSizes>(clampAll(loadSizes(localStorage, id, window.innerHeight), viewport()));
  const bottomMaximized = ref(false);

  function resize(pane: Pane, value: number): void {
    sizes[pane] = clampSize(pane, value, sizes, viewport());
  }

  function remember(): void {
    saveSizes(localStorage, id, { ...sizes });
  }

  const limits = (pane: Pane) => ({ min: MIN_SIZES[pane], max: maxSize(pane, sizes, viewport()) });

  window.addEventListener('resize', () => Object.assign(sizes, clampAll(sizes, viewport())));

  return { sizes, bottomMaximized, resize, remember, limits };
});
