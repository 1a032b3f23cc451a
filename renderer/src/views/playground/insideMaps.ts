// The playground's look inside the model: names and colour ranges for each recurrent layer's heatmaps.
import type { InsideResult } from '../../../../core/api/playground.js';

export type InsideLayer = InsideResult['layers'][number];

export { gateRange } from '../../watch/gateRange.js';

/**
 * A layer as a person reads it: the block's name on the canvas, then the part inside it. A Bidirectional
 * block's forward layer carries the block's own id and its backward one `${node}/backward`, so the
 * forward one is named as such when a backward sibling exists.
 */
export function layerTitle(
  layer: InsideLayer,
  all: readonly InsideLayer[],
  nameOf: (id: string) => string,
): string {
  const name = nameOf(layer.node);
  const part = layer.layer.slice(layer.node.length + 1);
  if (part) return `${name} · ${part.replace(/\//g, ' · ')}`;
  const hasBackward = all.some((l) => l.node === layer.node && l.layer.endsWith('/backward'));
  return hasBackward ? `${name} · forward` : name;
}

/** The sentence under the heatmaps when the matrices were cut to the limits the host sends. */
export function cutNote(layer: InsideLayer, limits: InsideResult['limits']): string | null {
  const units = layer.units > limits.units ? `the first ${limits.units} of ${layer.units} units` : '';
  const steps = layer.steps.length >= limits.steps ? `the first ${limits.steps} steps` : '';
  if (!units && !steps) return null;
  return `Showing ${[units, steps].filter(Boolean).join(' and ')}.`;
}
