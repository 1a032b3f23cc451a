// How a run reads on a terminal: a progress line rewritten in place on a TTY (epoch, batch, loss,
// tokens/s, ETA), plain lines when piped (one per epoch and per tenth of an epoch), or NDJSON (every
// event, one per line, for scripts).
import type { TelemetryEvent } from '../../core/telemetry/events.js';

export type ProgressMode = 'tty' | 'lines' | 'ndjson';

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

const num = (v: number | null | undefined) =>
  v === null || v === undefined
    ? 'n/a'
    : Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0)
      ? v.toExponential(3)
      : v.toFixed(4);

function metricsText(metrics: Record<string, number | null>): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k} ${num(v)}`)
    .join('  ');
}

const perplexityText = (p: number | null | undefined): string =>
  p !== undefined ? `  perplexity ${num(p)}` : '';

export class ProgressPrinter {
  private started = Date.now();
  private epochs = 1;
  private batchesPerEpoch = 1;
  private firstStep = 0;
  private lastLine = '';

  constructor(
    private readonly mode: ProgressMode,
    private readonly write: (text: string) => void,
    private readonly width = 24,
    /**
     * Where warnings and errors go (the CLI: stderr, so they stand out from the progress); default `write`.
     */
    private readonly warn: (text: string) => void = write,
  ) {}

  onEvent(event: TelemetryEvent): void {
    if (this.mode === 'ndjson') {
      this.write(JSON.stringify(event) + '\n');
      return;
    }
    switch (event.type) {
      case 'run-start': {
        this.started = Date.now();
        this.epochs = event.config.epochs;
        this.batchesPerEpoch = event.batchesPerEpoch;
        this.firstStep = event.resumedFrom?.step ?? 0;
        const workers = (event.workers ?? 1) > 1 ? ` with ${event.workers} workers` : '';
        const { parameters } = event.model;
        const { epochs } = event.config;
        const sizes = `${parameters} parameters, ${event.examples.train} examples, ${epochs} epochs`;
        this.line(
          `Training ${event.runId} on ${event.backend}${workers}: ${sizes}` +
            (event.resumedFrom
              ? ` (resuming after epoch ${event.resumedFrom.epoch}, batch ${event.resumedFrom.step})`
              : ''),
        );
        break;
      }
      case 'batch': {
        const total = this.epochs * this.batchesPerEpoch;
        const done = event.step - this.firstStep;
        const elapsed = (Date.now() - this.started) / 1000;
        const eta = done > 0 ? (elapsed / done) * (total - event.step) : NaN;
        const text =
          `epoch ${event.epoch}/${this.epochs} batch ${event.batch}/${event.batchesPerEpoch}  ` +
          `loss ${num(event.loss)}  ${Math.round(event.tokensPerSecond)} tok/s  ETA ${clock(eta)}`;
        if (this.mode === 'tty') {
          const filled = Math.round((event.batch / event.batchesPerEpoch) * this.width);
          this.rewrite(`[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${text}`);
        } else if (
          event.batch === event.batchesPerEpoch ||
          event.batch % Math.max(1, Math.ceil(event.batchesPerEpoch / 10)) === 0
        ) {
          this.line(text);
        }
        break;
      }
      case 'epoch': {
        const v = event.validation;
        this.line(
          `epoch ${event.epoch}/${event.epochs}  loss ${num(event.train.loss)}  ` +
            `${metricsText(event.train.metrics)}${perplexityText(event.train.perplexity)}` +
            (v
              ? `  | validation loss ${num(v.loss)}  ${metricsText(v.metrics)}${perplexityText(v.perplexity)}`
              : '') +
            `  (${event.seconds.toFixed(1)} s${event.best ? ', best' : ''})`,
        );
        break;
      }
      case 'checkpoint':
        if (event.reason === 'stop')
          this.line(`Checkpoint saved at epoch ${event.epoch + 1}, step ${event.step} (${event.location}).`);
        break;
      case 'warning':
        this.line(`warning: ${event.message}`, this.warn);
        break;
      case 'error':
        this.line(`error: ${event.message}`, this.warn);
        break;
      case 'run-end':
        this.line(
          `Run ${event.status} after ${event.epochs} epochs, ${event.steps} steps, ${clock(event.seconds)}.` +
            (event.best
              ? ` Best ${event.best.metric} ${num(event.best.value)} at epoch ${event.best.epoch}.`
              : ''),
        );
        break;
      default:
        break;
    }
  }

  private rewrite(text: string): void {
    this.write(`\r${text.padEnd(this.lastLine.length)}`);
    this.lastLine = text;
  }

  private line(text: string, write = this.write): void {
    if (this.mode === 'tty' && this.lastLine) {
      this.write('\r' + ' '.repeat(this.lastLine.length) + '\r');
      this.lastLine = '';
    }
    write(text + '\n');
  }
}
