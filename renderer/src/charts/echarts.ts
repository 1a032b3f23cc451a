// The one place ECharts is assembled: only the chart types and components the dashboards use are
// registered (tree-shaken build), and the theme follows the system's light/dark setting.
import * as echarts from 'echarts/core';
import { HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  ScatterChart,
  HeatmapChart,
  GraphicComponent,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  VisualMapComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type ChartInstance = echarts.ECharts;

export function prefersDark(): boolean {
  return (
    typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches === true
  );
}

export function createChart(element: HTMLElement): ChartInstance {
  return echarts.init(element, prefersDark() ? 'dark' : undefined, { renderer: 'canvas' });
}

/** Colours that stay readable on light and dark backgrounds, one per series in a fixed order. */
export const palette = [
  '#3b82f6',
  '#f97316',
  '#10b981',
  '#e11d48',
  '#8b5cf6',
  '#eab308',
  '#06b6d4',
  '#64748b',
];

/**
 * Time every redraw as a User Timing measure, so the dashboard performance test (and a curious person in
 * devtools) can read how long drawing took without any test hook in the app.
 */
export function timed<T>(label: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    performance.measure(`rnn-chart:${label}`, { start, end: performance.now() });
  }
}
