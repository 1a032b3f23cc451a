// The life of one ECharts chart in a Vue component, shared by every dashboard chart (line, heatmap, and
// any new kind): created as a job of the shared dashboard frame, redrawn at most `maxHz` times a second
// when its data version changes, resized in the next redraw, idle while its tab is hidden, disposed with
// the component, and exported as PNG and CSV. A chart component only says what its first option is
// (`setup`) and what each redraw sets (`draw`); the rest is here, so the rules stay the same everywhere.
import {
  onActivated,
  onBeforeUnmount,
  onDeactivated,
  onMounted,
  shallowRef,
  watch,
  type Ref,
  type ShallowRef,
} from 'vue';
import { downloadDataUrl, downloadText, fileStem } from './download.js';
import { createChart, prefersDark, timed, type ChartInstance } from './echarts.js';
import { dashboardFrame } from './frameQueue.js';
import { createFrameThrottle } from './frameThrottle.js';

type SetOption = ChartInstance['setOption'];
export type ChartOption = Parameters<SetOption>[0];

/** What one redraw sets: the option to merge and, when the series set changed, which parts to replace. */
export interface ChartDraw {
  option: ChartOption;
  /** e.g. ['series'] when series were added or removed: merging keeps views, replacing rebuilds them. */
  replaceMerge?: string[];
}

export interface ChartSpec {
  /** The element ECharts draws into (a template ref). */
  element: Ref<HTMLElement | null>;
  /** Names the redraw's User Timing measure (`rnn-chart:<title>`) and the exported files. */
  title: () => string;
  /**
   * What a redraw depends on (data version, log toggle, labels…), read in one getter: it runs again, and
   * asks for a redraw, whenever anything it reads changes, e.g. a new series array of the same length.
   */
  sources: () => unknown[];
  /** Redraws per second at most, however often the sources change. */
  maxHz?: number;
  /** The first option and event wiring, once, right after the chart is created. */
  setup: (instance: ChartInstance, request: () => void) => void;
  /** False while there is nothing to draw (empty data, no room): the redraw is skipped, and not timed. */
  ready?: () => boolean;
  /** One redraw. */
  draw: (instance: ChartInstance) => ChartDraw;
  /** The chart's data as CSV, for the CSV button. */
  csv: () => string;
  /** Called when the tab is hidden (e.g. to drop a hover tooltip). */
  onHide?: () => void;
}

export interface Chart {
  chart: ShallowRef<ChartInstance | null>;
  /** Ask for a redraw in a coming shared frame (throttled). */
  request: () => void;
  /** Redraw now (tests and callers that need it synchronous). */
  redraw: () => void;
  exportPng: () => void;
  exportCsv: () => void;
}

export function useChart(spec: ChartSpec): Chart {
  const chart = shallowRef<ChartInstance | null>(null);
  let resizeObserver: ResizeObserver | null = null;
  let needsResize = false;
  let active = true;
  let unmounted = false;
  const throttle = createFrameThrottle(() => redraw(), spec.maxHz ?? 8, undefined, dashboardFrame());
  const request = () => throttle.request();

  function redraw(): void {
    const instance = chart.value;
    if (!instance || !active || spec.ready?.() === false) return;
    timed(spec.title(), () => {
      const next = spec.draw(instance);
      // After a resize (or the tab coming back), apply the option and the new size in one update, not two.
      const resized = needsResize;
      needsResize = false;
      instance.setOption(next.option, {
        ...(next.replaceMerge ? { replaceMerge: next.replaceMerge } : {}),
        ...(resized ? { lazyUpdate: true } : {}),
      });
      if (resized) instance.resize();
    });
  }

  // Creating a chart costs about as much as a redraw: done as a job of the shared frame, so a tab with
  // several charts builds them over a few frames instead of in one long task when first shown.
  const create = () => {
    const element = spec.element.value;
    if (unmounted || !element || chart.value) return;
    const instance = createChart(element);
    chart.value = instance;
    spec.setup(instance, request);
    // Resizing re-renders the whole chart: it is done in the next redraw, in the shared frame.
    resizeObserver = new ResizeObserver(() => {
      needsResize = true;
      request();
    });
    resizeObserver.observe(element);
    request();
  };
  onMounted(() => dashboardFrame().add(create));

  // A tab kept alive but not shown does no drawing; it catches up when shown again.
  onDeactivated(() => {
    active = false;
    spec.onHide?.();
    throttle.cancel();
  });
  onActivated(() => {
    active = true;
    needsResize = true;
    request();
  });

  onBeforeUnmount(() => {
    unmounted = true;
    dashboardFrame().remove(create);
    throttle.cancel();
    resizeObserver?.disconnect();
    chart.value?.dispose();
    chart.value = null;
  });

  watch(spec.sources, request);

  function exportPng(): void {
    const url = chart.value?.getDataURL({
      type: 'png',
      pixelRatio: 2,
      backgroundColor: prefersDark() ? '#1e1e1e' : '#ffffff',
    });
    if (url) downloadDataUrl(`${fileStem(spec.title())}.png`, url);
  }

  function exportCsv(): void {
    downloadText(`${fileStem(spec.title())}.csv`, spec.csv());
  }

  return { chart, request, redraw, exportPng, exportCsv };
}
