// What the window shows right now: the selection, the open bottom tab, the start page, notices, and
// requests to the canvas (fit view, auto-layout) that toolbar buttons and shortcuts make.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type BottomTab =
  'data' | 'training' | 'gradients' | 'attention' | 'histograms' | 'playground' | 'runs' | 'code';
export const BOTTOM_TABS: BottomTab[] = [
  'data',
  'training',
  'gradients',
  'attention',
  'histograms',
  'playground',
  'runs',
  'code',
];

/** More stacked notices than this would cover the window; the oldest go first. */
export const MAX_NOTICES = 3;

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export const useUiStore = defineStore('ui', () => {
  const selectedNodes = ref<string[]>([]);
  const bottomTab = ref<BottomTab>('data');
  const bottomOpen = ref(true);
  const startOpen = ref(false);
  /** The first-start hint ("Press Train") until the user trains or dismisses it. */
  const trainHint = ref(false);
  const notices = ref<Notice[]>([]);
  /** Bumped to ask the canvas to fit the view / run auto-layout (the canvas watches these). */
  const fitRequest = ref(0);
  const layoutRequest = ref(0);
  /** Export ▾ asked the Code tab to show one export and its "write to folder" form (n: a new request). */
  const exportRequest = ref<{ format: 'pytorch' | 'tfjs'; n: number } | null>(null);
  let nextNotice = 1;

  function select(ids: string[]): void {
    selectedNodes.value = ids;
  }

  /** Shows a notice; the same text again replaces the older one, and at most MAX_NOTICES stay (newest). */
  function notify(text: string, kind: Notice['kind'] = 'info', ms = kind === 'error' ? 9000 : 3500): void {
    const id = nextNotice++;
    const others = notices.value.filter((n) => n.text !== text);
    notices.value = [...others, { id, kind, text }].slice(-MAX_NOTICES);
    setTimeout(() => dismiss(id), ms);
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  function showTab(tab: BottomTab): void {
    bottomTab.value = tab;
    bottomOpen.value = true;
  }

  return {
    selectedNodes,
    bottomTab,
    bottomOpen,
    startOpen,
    trainHint,
    notices,
    fitRequest,
    layoutRequest,
    select,
    notify,
    dismiss,
    showTab,
    requestFit: () => fitRequest.value++,
    requestLayout: () => layoutRequest.value++,
    exportRequest,
    requestExport(format: 'pytorch' | 'tfjs'): void {
      exportRequest.value = { format, n: (exportRequest.value?.n ?? 0) + 1 };
      showTab('code');
    },
  };
});
