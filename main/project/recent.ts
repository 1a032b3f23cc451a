// The recently opened projects list, kept in <app data>/recent.json (newest first, at most 20).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { atomicWrite } from './atomic.js';

const RecentSchema = z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() }));
export type RecentEntry = z.infer<typeof RecentSchema>[number];

const MAX_RECENT = 20;

export class RecentList {
  private entries: RecentEntry[] = [];
  constructor(private readonly file: string) {}

  static in(dataDir: string): RecentList {
    return new RecentList(join(dataDir, 'recent.json'));
  }

  async load(): Promise<void> {
    try {
      const parsed = RecentSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      this.entries = parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      this.entries = [];
    }
  }

  list(): RecentEntry[] {
    return [...this.entries];
  }

  async add(path: string, name: string): Promise<void> {
    this.entries = [
      { path, name, openedAt: new Date().toISOString() },
      ...this.entries.filter((e) => e.path !== path),
    ].slice(0, MAX_RECENT);
    await atomicWrite(this.file, JSON.stringify(this.entries, null, 2));
  }
}
