// Dashboard performance, measured in Chromium and printed (never asserted: these are wall-clock figures,
// and a test that asserts them fails whenever the machine is busy; the renderer README keeps the figures):
// 1. A Training dashboard holding 100,000 points per series: the dashboard's work in each frame (User
//    Timing measure `rnn-dashboard-frame`, one per frame that redraws; `rnn-chart:<title>` per chart) and
//    the browser's frame intervals while new batches keep streaming in and the user zooms (median, p90,
//    p95 printed).
// 2. Long tasks (PerformanceObserver 'longtask') on the renderer's main thread during 60 s of real
//    training (count over 100 ms and the longest printed).
// Each prints a calibration loop's time so a figure can be read against the load. What is asserted is
// behaviour: the charts hold every point, they redraw while data streams, the run keeps training, and the
// gradient-through-time map names its cells.
//
// The 100,000-point run is SYNTHETIC (test/fixtures/training/syntheticRun.ts, schema-valid
// telemetry) fed through the host API's own channels (HTTP calls and the events WebSocket, routed by
// Playwright), because this test measures drawing, not training; the project and run calls are answered
// here for the same reason. Training for real during 60 s (many short epochs, so epoch, probe and
// checkpoint events keep coming) is measured in the last test, through the real host.
import { expect, test, type CDPSession, type Page, type WebSocketRoute } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { syntheticRun } from '../fixtures/training/syntheticRun.js';
import { E2E_TOKEN, openStudio, screenshot } from './studio.js';

/** 100,000 points per series; PERF_POINTS overrides it for a quick look (e.g. 10000). */
const POINTS = Number(process.env.PERF_POINTS ?? 100_000);
const PROJECT = 'perf-project';

function templateSession(id: string) {
  const doc = JSON.parse(readFileSync(`resources/templates/${id}.json`, 'utf8')) as Record<string, unknown>;
  delete doc.template;
  return { projectId: PROJECT, path: null, name: String(doc.name), doc, dirty: false, diagnostics: [] };
}

/** Answer the project and training calls in the page; keep the events WebSocket for the test to feed. */
async function syntheticHost(
  page: Page,
  history: unknown[] = [],
): Promise<{ socket: () => WebSocketRoute | null }> {
  const session = templateSession('sentiment');
  let socket: WebSocketRoute | null = null;
  const answers: Record<string, unknown> = {
    'project.get': session,
    'project.create': session,
    'project.update': { dirty: false, diagnostics: [] },
    'project.recoverable': [],
    'project.recent': [],
    'project.summary': [],
    'data.preview': {},
    'training.start': { runId: 'perf-run' },
    'training.pause': { ok: true },
    'training.resume': { ok: true },
    'training.stop': { ok: true },
    'runs.list': [],
    'runs.history': history,
  };
  await page.route('**/api/call/*', async (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop()!;
    if (!(name in answers)) return route.continue();
    if (name === 'runs.history') {
      // Paged as the host pages it: events [from, from + limit).
      const { from, limit } = route.request().postDataJSON() as { from?: number; limit?: number };
      if (from !== undefined || limit !== undefined)
        return route.fulfill({
          json: { ok: true, result: history.slice(from ?? 0, (from ?? 0) + (limit ?? 100_000)) },
        });
    }
    return route.fulfill({ json: { ok: true, result: answers[name] } });
  });
  await page.routeWebSocket('**/api/events**', (ws) => {
    socket = ws;
  });
  await page.addInitScript((projectId) => {
    localStorage.setItem('rnn-studio.last-project', JSON.stringify({ projectId }));
    localStorage.setItem('rnn-studio.started', '2026-01-01T00:00:00Z');
  }, PROJECT);
  return { socket: () => socket };
}

function send(ws: WebSocketRoute, event: unknown): void {
  ws.send(
    JSON.stringify({ name: 'training.event', payload: { runId: 'perf-run', projectId: PROJECT, event } }),
  );
}

interface Recording {
  /** Durations of long tasks (PerformanceObserver 'longtask'), ms. */
  longTasks: number[];
  /** The long tasks with their start, to attribute them to the redraws they contain. */
  longTaskSpans: { start: number; duration: number }[];
  /** requestAnimationFrame intervals, ms. */
  frames: number[];
  /** Each chart redraw (User Timing `rnn-chart:<title>`). */
  redraws: { name: string; start: number; duration: number }[];
  /** The dashboard's whole work in each frame that redrew anything (`rnn-dashboard-frame`), ms. */
  dashboardFrames: number[];
  running: boolean;
}

/** Record long tasks, frame intervals and chart redraws in the page from now on. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { perf: Recording };
    w.perf = {
      longTasks: [],
      longTaskSpans: [],
      frames: [],
      redraws: [],
      dashboardFrames: [],
      running: true,
    };
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        w.perf.longTasks.push(e.duration);
        w.perf.longTaskSpans.push({ start: e.startTime, duration: e.duration });
      }),
    ).observe({ type: 'longtask' });
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        if (e.name.startsWith('rnn-chart:'))
          w.perf.redraws.push({ name: e.name.slice(10), start: e.startTime, duration: e.duration });
        if (e.name === 'rnn-dashboard-frame') w.perf.dashboardFrames.push(e.duration);
      }),
    ).observe({ type: 'measure' });
    let last = performance.now();
    const tick = (now: number) => {
      w.perf.frames.push(now - last);
      last = now;
      if (w.perf.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopRecording(page: Page): Promise<Recording> {
  return page.evaluate(() => {
    const w = window as unknown as { perf: Recording };
    w.perf.running = false;
    return w.perf;
  });
}

/** Each long task over `over` ms with the chart redraws that ran inside it (what it was made of). */
function attribute(perf: Recording, over = 100): string[] {
  return perf.longTaskSpans
    .filter((t) => t.duration > over)
    .map((t) => {
      const inside = perf.redraws.filter((r) => r.start >= t.start && r.start < t.start + t.duration);
      const drawn = inside.reduce((a, r) => a + r.duration, 0);
      const list = inside.map((r) => `${r.name} ${r.duration.toFixed(0)}`).join(', ');
      return (
        `${t.duration.toFixed(0)} ms at ${(t.start / 1000).toFixed(1)} s: ` +
        `redraws ${drawn.toFixed(0)} ms [${list}]`
      );
    });
}

function stats(values: number[]): string {
  if (values.length === 0) return 'n=0';
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
  return (
    `n=${s.length} median=${q(0.5)} ms p90=${q(0.9)} ms p95=${q(0.95)} ms ` +
    `max=${s[s.length - 1]!.toFixed(1)} ms`
  );
}

/**
 * The chart redraws that one telemetry update caused, summed: what redrawing the whole dashboard costs.
 * Updates come at most 8 times a second (125 ms apart) and the frame queue may spread one over a few
 * frames, so redraws starting within 60 ms of the first belong to the same update.
 */
function perUpdate(redraws: { start: number; duration: number }[]): number[] {
  const sorted = [...redraws].sort((a, b) => a.start - b.start);
  const sums: number[] = [];
  let groupStart = -Infinity;
  for (const r of sorted) {
    if (r.start > groupStart + 60) {
      sums.push(0);
      groupStart = r.start;
    }
    sums[sums.length - 1]! += r.duration;
  }
  return sums;
}

/**
 * PERF_PROFILE=1: record a CPU profile of the page over a phase and print the functions with the most self
 * time, to find what a slow redraw or a long task is made of. Off by default (profiling slows the page).
 */
async function startProfile(page: Page): Promise<CDPSession | null> {
  if (!process.env.PERF_PROFILE) return null;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
}

async function printProfile(cdp: CDPSession | null, label: string, top = 25): Promise<void> {
  if (!cdp) return;
  const { profile } = await cdp.send('Profiler.stop');
  const dt = new Map<number, number>();
  profile.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000));
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key =
      `${f.functionName || '(anonymous)'} ` +
      `${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
  }
  // Inclusive time: a function's own samples plus everything it called (each stack counted once per key).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, ms] of dt) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  for (const [key, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top * 2))
    console.log(`[profile] incl ${ms.toFixed(1).padStart(8)} ms  ${key}`);
  // Call tree under the chart redraws (`timed`), merged by function, children over 1% of it.
  const subtree = new Map<number, number>();
  const sum = (id: number): number => {
    const n = byId.get(id)!;
    const t = (dt.get(id) ?? 0) + (n.children ?? []).reduce((a, c) => a + sum(c), 0);
    subtree.set(id, t);
    return t;
  };
  sum(profile.nodes[0]!.id);
  const keyOf = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`;
  };
  const roots = profile.nodes
    .filter((n) => n.callFrame.functionName === (process.env.PERF_PROFILE_ROOT ?? 'timed'))
    .map((n) => n.id);
  const rootMs = roots.reduce((a, id) => a + subtree.get(id)!, 0);
  const print = (ids: number[], depth: number) => {
    const merged = new Map<string, number[]>();
    for (const id of ids)
      for (const c of byId.get(id)!.children ?? [])
        merged.set(keyOf(c), [...(merged.get(keyOf(c)) ?? []), c]);
    for (const [key, group] of [...merged].sort(
      (a, b) => b[1].reduce((x, i) => x + subtree.get(i)!, 0) - a[1].reduce((x, i) => x + subtree.get(i)!, 0),
    )) {
      const ms = group.reduce((x, i) => x + subtree.get(i)!, 0);
      if (ms < rootMs * 0.01) continue;
      console.log(`[profile] tree ${'  '.repeat(depth)}${ms.toFixed(1)} ms ${key}`);
      if (depth < Number(process.env.PERF_PROFILE_DEPTH ?? 9)) print(group, depth + 1);
    }
  };
  // Long tasks: stretches of samples with no idle sample between them, longer than 50 ms, each with the
  // named functions (not native or idle) that took most of it.
  const stretches: { start: number; ms: number; ids: number[] }[] = [];
  let t = profile.startTime;
  let current: { start: number; ms: number; ids: number[] } | null = null;
  profile.samples?.forEach((id, i) => {
    const d = (profile.timeDeltas?.[i] ?? 0) / 1000;
    t += d * 1000;
    if (byId.get(id)!.callFrame.functionName === '(idle)') {
      if (current && current.ms > 50) stretches.push(current);
      current = null;
      return;
    }
    current ??= { start: t / 1000, ms: 0, ids: [] };
    current.ms += d;
    current.ids.push(id);
  });
  for (const st of stretches.sort((a, b) => b.ms - a.ms).slice(0, 12)) {
    const weight = new Map<string, number>();
    for (const id of st.ids) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const f = byId.get(at)!.callFrame;
        if (!f.url || seen.has(f.functionName)) continue;
        seen.add(f.functionName);
        weight.set(
          `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`,
          (weight.get(`${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`) ?? 0) + 1,
        );
      }
    }
    const top = [...weight]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, n]) => `${k} ${Math.round((100 * n) / st.ids.length)}%`);
    console.log(
      `[profile] busy ${st.ms.toFixed(0)} ms at ${(st.start - profile.startTime / 1000).toFixed(0)} ` +
        `ms: ${top.join(', ')}`,
    );
  }
  console.log(`[profile] tree ${rootMs.toFixed(1)} ms under ${process.env.PERF_PROFILE_ROOT ?? 'timed'}`);
  print(roots, 1);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`[profile] ${label}: ${total.toFixed(0)} ms sampled`);
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`[profile]   ${ms.toFixed(1).padStart(8)} ms  ${key}`);
}

test('a dashboard holding 100,000 points per series: redraw time and frame intervals', async ({ page }) => {
  test.setTimeout(300_000);
  // The first 100,000 batches are the run's history so far; the rest stream in live. This is what the
  // dashboard does when it is opened while a run is going: it loads the history, then follows the stream.
  const run = syntheticRun({
    epochs: 12,
    batchesPerEpoch: Math.round(POINTS / 10),
    runId: 'perf-run',
    steps: 40,
    units: 32,
  });
  const history: unknown[] = [];
  for (let batches = 0; batches < POINTS;) {
    const next = run.next();
    if (next.done) break;
    history.push(next.value);
    if (next.value.type === 'batch') batches++;
  }
  const host = await syntheticHost(page, history);
  await openStudio(page);
  await page.getByTestId('tab-training').click();
  await expect.poll(() => host.socket() !== null, { timeout: 20_000 }).toBe(true);
  const ws = host.socket()!;
  await startRecording(page);
  const fillStart = Date.now();
  send(ws, run.next().value); // the first live event: the dashboard catches up from the history
  await expect(page.locator('[data-test=status-line]')).toContainText('epoch 10 / 12', { timeout: 120_000 });
  const fill = await stopRecording(page);
  console.log(
    `[perf] loaded ${POINTS} batches of history and drew them in ` +
      `${((Date.now() - fillStart) / 1000).toFixed(1)} s`,
  );
  console.log(
    `[perf] while loading: long tasks ${stats(fill.longTasks)}; ` +
      `chart redraws ${stats(fill.redraws.map((r) => r.duration))}`,
  );

  // Now the charts hold 100,000 points per series. Keep streaming for 5 s while the user zooms the loss
  // chart, and record every redraw and frame.
  await page.waitForTimeout(500);
  await startRecording(page);
  const profiling = await startProfile(page);
  const loss = page.locator('[data-chart=line][data-title="Loss"]');
  const box = (await loss.boundingBox())!;
  const until = Date.now() + 5000;
  let wheel = 0;
  while (Date.now() < until) {
    const next = run.next();
    if (!next.done) send(ws, next.value);
    if (wheel++ % 10 === 0) {
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
      await page.mouse.wheel(0, wheel < 30 ? -120 : 120);
    }
    await page.waitForTimeout(50);
  }
  const live = await stopRecording(page);
  await printProfile(profiling, 'streaming + zooming with 100,000 points');
  const byChart = new Map<string, number[]>();
  for (const r of live.redraws) byChart.set(r.name, [...(byChart.get(r.name) ?? []), r.duration]);
  for (const [name, durations] of byChart)
    console.log(`[perf] redraw "${name}" with 100,000 points: ${stats(durations)}`);
  console.log(
    `[perf] Training dashboard work per frame (rnn-dashboard-frame): ${stats(live.dashboardFrames)}`,
  );
  const frameMedian =
    [...live.dashboardFrames].sort((a, b) => a - b)[Math.floor(live.dashboardFrames.length / 2)] ?? Infinity;
  console.log(
    `[perf] Training dashboard, all charts of one update summed (may span frames): ` +
      `${stats(perUpdate(live.redraws))}`,
  );
  console.log(`[perf] frame intervals while streaming + zooming: ${stats(live.frames)}`);
  console.log(`[perf] long tasks while streaming + zooming: ${stats(live.longTasks)}`);
  await screenshot(page, 'perf-training-100k');
  // How busy this machine is right now (shared CI boxes vary 5x): a fixed loop that takes ~20 ms on an idle
  // 2020s laptop core. Read the figures above relative to it.
  const calibration = await page.evaluate(() => {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i % 7;
    return { ms: performance.now() - t, x };
  });
  console.log(`[perf] calibration loop (2e7 iterations) took ${calibration.ms.toFixed(1)} ms in the page`);

  // The chart really holds every point: its CSV export has one row per batch.
  await page.mouse.move(5, 5); // let the chart's tooltip go away from the buttons
  const download = page.waitForEvent('download');
  await page.locator('section[aria-label="Loss"] button', { hasText: 'CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  const rows = csv.trim().split('\n').length - 1;
  console.log(`[perf] loss CSV rows: ${rows}`);
  expect(rows).toBeGreaterThanOrEqual(POINTS);
  expect(live.redraws.length).toBeGreaterThan(0);
  console.log(
    `[perf] median dashboard work per frame with ${POINTS} points per series: ` +
      `${frameMedian.toFixed(1)} ms (budget 16 ms)`,
  );

  // Gradients tab: the same 100,000 steps per series (global norm, 3 layers, 4 gates).
  await page.getByTestId('tab-gradients').click();
  await page.waitForTimeout(300);
  await startRecording(page);
  const gradientProfile = await startProfile(page);
  for (let i = 0; i < 40; i++) {
    const next = run.next();
    if (!next.done) send(ws, next.value);
    await page.waitForTimeout(50);
  }
  const grads = await stopRecording(page);
  await printProfile(gradientProfile, 'Gradients tab with 100,000 points');
  console.log(`[perf] Gradients dashboard work per frame: ${stats(grads.dashboardFrames)}`);
  console.log(
    `[perf] Gradients tab, all charts of one update summed: ${stats(perUpdate(grads.redraws))}; ` +
      `frames ${stats(grads.frames)}`,
  );
  await screenshot(page, 'perf-gradients-100k');
});

test('no long task while a run trains for 60 s (real training through the host)', async ({
  page,
  request,
}) => {
  // One minute of a real run, measured as it is (part of the suite, ~1.5 min).
  test.setTimeout(300_000);
  const probe = await request.post('/api/call/project.create', {
    headers: { authorization: `Bearer ${E2E_TOKEN}` },
    data: { templateId: 'sentiment' },
  });
  const created = (await probe.json()) as {
    ok: boolean;
    result?: { projectId: string };
    error?: { message: string };
  };
  expect(created.error?.message, 'the host creates the sentiment project').toBeUndefined();
  const projectId = created.result!.projectId;
  // Many short epochs: 200 generated reviews make an epoch of a few batches, so the 60 s hold hundreds of
  // epochs, each with its epoch, probe and checkpoint events: the flood a fast run sends the renderer.
  const session = (
    created.result as unknown as { doc: { dataset: { source: { params?: Record<string, unknown> } } } }
  ).doc;
  session.dataset.source.params = { ...session.dataset.source.params, count: 200 };
  const updated = await request.post('/api/call/project.update', {
    headers: { authorization: `Bearer ${E2E_TOKEN}` },
    data: { projectId, doc: session },
  });
  expect(
    ((await updated.json()) as { error?: { message: string } }).error?.message,
    'the host takes the smaller dataset',
  ).toBeUndefined();
  await page.addInitScript((id) => {
    localStorage.setItem('rnn-studio.last-project', JSON.stringify({ projectId: id }));
    localStorage.setItem('rnn-studio.started', '2026-01-01T00:00:00Z');
  }, projectId);
  await openStudio(page);
  await page.getByTestId('tab-training').click();
  // As many epochs as a run may have: on a fast machine 1000 of these tiny epochs ended inside the 60 s
  // (CI, 2026-12-04), and the recording then measured an idle page.
  await page.locator('[data-test=epochs]').fill('100000');
  await page.locator('[data-test=train]').click();
  const started = page.locator('[data-test=status-line]').filter({ hasText: /batch \d+/ });
  const failed = page.locator('[data-view=training] .error');
  await expect(started.or(failed).first()).toBeVisible({ timeout: 240_000 });
  await expect(failed).toHaveCount(0);
  await startRecording(page);
  const profiling = await startProfile(page);
  // Every dashboard that draws while a run trains, the histograms included, 12 s each.
  const tabs = ['training', 'gradients', 'attention', 'histograms', 'training'];
  for (let s = 0; s < 60; s++) {
    if (s % 12 === 0) await page.getByTestId(`tab-${tabs[s / 12]}`).click();
    await page.waitForTimeout(1000);
  }
  const perf = await stopRecording(page);
  await printProfile(profiling, '60 s of real training');
  await screenshot(page, 'perf-training-60s');
  await expect(
    page.locator('[data-test=stop]'),
    'the run is still training after the 60 s it is measured over',
  ).toBeEnabled({ timeout: 5000 });
  await page.locator('[data-test=stop]').click();
  // The gradient-through-time map now has a row per epoch: hovering a cell names its epoch and time step.
  await page.getByTestId('tab-gradients').click();
  const heat = page.locator('[data-chart=heatmap][data-title^="Gradient through time"]');
  await heat.scrollIntoViewIfNeeded();
  const at = (await heat.boundingBox())!;
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 3);
  const tip = page.locator('[data-test=heatmap-tip]');
  await expect(tip).toContainText(/epoch \d+/);
  await expect(tip).not.toContainText(/epoch epoch/);
  await expect(tip).toContainText(/time step \d+/);
  await screenshot(page, 'perf-gradients-60s');
  const over100 = perf.longTasks.filter((d) => d > 100);
  console.log(
    `[perf] 60 s of real training: long tasks ${stats(perf.longTasks)}; over 100 ms: ${over100.length}`,
  );
  for (const line of attribute(perf, 80)) console.log(`[perf]   long task ${line}`);
  const perChart = new Map<string, number[]>();
  for (const r of perf.redraws) perChart.set(r.name, [...(perChart.get(r.name) ?? []), r.duration]);
  for (const [name, durations] of perChart)
    console.log(
      `[perf]   redraws of "${name}": ${stats(durations)}; first ${durations
        .slice(0, 3)
        .map((d) => d.toFixed(0))
        .join(', ')} ms`,
    );
  console.log(
    `[perf] 60 s of real training: chart redraws ${stats(perf.redraws.map((r) => r.duration))}; ` +
      `frames ${stats(perf.frames)}`,
  );
  expect(perf.redraws.length).toBeGreaterThan(0); // the charts did move
  const calibration = await page.evaluate(() => {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i % 7;
    return { ms: performance.now() - t, x };
  });
  const longest = Math.max(0, ...perf.longTasks);
  console.log(
    `[perf] 60 s of real training: ${over100.length} long tasks over 100 ms, ` +
      `longest ${longest.toFixed(0)} ms (calibration loop ${calibration.ms.toFixed(0)} ms; ` +
      `~20-35 ms on a quiet machine)`,
  );
  // Long tasks are wall-clock: on a machine whose cores are shared with other heavy work the window's
  // thread is descheduled mid-task, and the calibration figure above says how much. So they are printed
  // for a person to read against the calibration, not asserted.
});
