// The project store behind the host API and the CLI: open projects in memory, create from templates,
// open and import untrusted files with limits, save atomically, autosave to a recovery folder and offer
// back what a crash left there. No Electron here: the web host, Electron and the CLI share it.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Diagnostic } from '../../core/graph/types.js';
import { summarize, type NodeSummary } from '../../core/graph/index.js';
import { analyzeProject, parseProject, serializeProject, type ProjectDoc } from '../../core/project/index.js';
import { anywhere, type FileAccess } from '../files/access.js';
import { readBounded } from '../files/read.js';
import { atomicWrite, cleanupProjectTemps, cleanupTempFiles } from './atomic.js';
import { isProjectJson, projectFromBytes } from './files.js';
import { DEFAULT_LIMITS, entryNameProblem, ProjectError, type ImportLimits } from './limits.js';
import { RecentList, type RecentEntry } from './recent.js';
import { RecoveryStore, type RecoveryMeta } from './recovery.js';
import { listTemplates, loadTemplate, type TemplateInfo } from './templates.js';
import { writeProjectZip } from './zip-write.js';

export interface ProjectSession {
  projectId: string;
  path: string | null;
  name: string;
  doc: ProjectDoc;
  dirty: boolean;
  diagnostics: Diagnostic[];
}

export interface ProjectStoreOptions {
  /** App data folder: recent.json and recovery/ live here. */
  dataDir: string;
  /** The resources/ folder (templates, bundled datasets). */
  resourcesDir: string;
  /** Delay between an edit and its autosave; 0 turns autosave off (CLI). */
  autosaveMs?: number;
  limits?: Partial<ImportLimits>;
  /** Which paths open and save may use (main/files): any regular file unless the web host narrows it. */
  access?: FileAccess;
}

interface OpenProject {
  id: string;
  path: string | null;
  doc: ProjectDoc;
  /** Every zip entry but project.json: weights/, checkpoints/, history/, data/. */
  entries: Map<string, Uint8Array>;
  dirty: boolean;
  timer?: ReturnType<typeof setTimeout>;
  /** The autosave being written now, if any: close waits for it so no copy lands after it is deleted. */
  writing?: Promise<void>;
}

export class ProjectStore {
  readonly limits: ImportLimits;
  readonly access: FileAccess;
  private readonly open = new Map<string, OpenProject>();
  private readonly recovery: RecoveryStore;
  private readonly recentList: RecentList;

  constructor(private readonly options: ProjectStoreOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.access = options.access ?? anywhere();
    this.recovery = new RecoveryStore(resolve(options.dataDir, 'recovery'));
    this.recentList = RecentList.in(options.dataDir);
  }

  /** Call once at start: creates folders and removes temp files that interrupted saves left behind. */
  async init(): Promise<void> {
    await mkdir(this.options.dataDir, { recursive: true });
    await this.recovery.init();
    await this.recentList.load();
    await cleanupTempFiles(this.options.dataDir);
    for (const folder of new Set(this.recentList.list().map((r) => dirname(r.path))))
      await cleanupTempFiles(folder);
  }

  templates(): Promise<TemplateInfo[]> {
    return listTemplates(this.options.resourcesDir);
  }

  /**
   * A new, unsaved project from a template. Not autosaved until its first edit: an untouched template
   * holds no work of the user's, and would only crowd the recovery list after a restart.
   */
  async create(templateId: string): Promise<ProjectSession> {
    const { template, files } = await loadTemplate(this.options.resourcesDir, templateId);
    return this.session(this.add(template.project, files, null, true));
  }

  /** Opens a .rnnproj (or a project/architecture .json) from disk, with the import limits. */
  async openFile(path: string): Promise<ProjectSession> {
    const full = await this.access.readable(path);
    await cleanupProjectTemps(full);
    const bytes = await readBounded(full, this.limits.maxFileBytes, path);
    const p = this.fromBytes(basename(full), bytes, extname(full).toLowerCase() === '.rnnproj' ? full : null);
    if (p.path) await this.recentList.add(p.path, p.doc.name);
    return this.session(p);
  }

  /** A file the user handed over without a path (browser upload): opened untitled. */
  importBytes(fileName: string, bytes: Uint8Array): ProjectSession {
    return this.session(this.fromBytes(fileName, bytes, null));
  }

  get(id: string): ProjectSession {
    return this.session(this.find(id));
  }

  doc(id: string): ProjectDoc {
    return this.find(id).doc;
  }

  /** Replaces the document (the UI's edit). Invalid documents are refused with the field at fault. */
  update(id: string, raw: unknown): { dirty: boolean; diagnostics: Diagnostic[] } {
    const p = this.find(id);
    const parsed = parseProject(raw);
    if (!parsed.ok) {
      throw new ProjectError(
        parsed.problems.map((x) => x.message).join('\n'),
        'invalid-input',
        parsed.problems[0]?.field,
      );
    }
    p.doc = parsed.project;
    p.dirty = true;
    this.scheduleAutosave(p);
    return { dirty: true, diagnostics: analyzeProject(p.doc).diagnostics };
  }

  /** Saves atomically to `path` (or where it was opened from). */
  async save(id: string, path?: string): Promise<{ path: string }> {
    const p = this.find(id);
    if (!path && !p.path)
      throw new ProjectError(
        'This project has not been saved yet: choose where to save it.',
        'invalid-input',
        'path',
      );
    const target = await this.access.writable(path ?? p.path!);
    await atomicWrite(target, this.bytes(p));
    p.path = target;
    p.dirty = false;
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    await p.writing?.catch(() => {}); // an autosave already on its way must not outlive the save
    await this.recovery.remove(p.id);
    await this.recentList.add(target, p.doc.name);
    return { path: target };
  }

  /** The zip as it would be saved (download in a browser, export). */
  toBytes(id: string): Uint8Array {
    return this.bytes(this.find(id));
  }

  /**
   * Releases a project the user is done with and deletes its autosave: it was saved, or the user chose to
   * discard its changes (replacing it with another project after "Leave anyway"). A project that is never
   * closed (a crash, a killed process, a closed window) keeps its autosave and is offered back next start.
   */
  async close(id: string): Promise<void> {
    const p = this.find(id);
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    this.open.delete(id);
    await p.writing?.catch(() => {});
    await this.recovery.remove(id);
  }

  recent(): RecentEntry[] {
    return this.recentList.list();
  }

  /** Autosaves of projects that are not open now, newest first: what a crash, kill or closed window left. */
  async recoverable(): Promise<RecoveryMeta[]> {
    return (await this.recovery.list()).filter((m) => !this.open.has(m.id));
  }

  async recover(recoveryId: string): Promise<ProjectSession> {
    const meta = (await this.recovery.list()).find((m) => m.id === recoveryId);
    if (!meta || this.open.has(recoveryId))
      throw new ProjectError(`Nothing to recover under "${recoveryId}".`, 'not-found', 'id');
    if (meta.path) await cleanupProjectTemps(meta.path);
    const p = this.fromBytes(`${meta.name}.rnnproj`, await this.recovery.read(recoveryId), meta.path, true);
    p.dirty = true;
    await this.recovery.remove(recoveryId);
    this.scheduleAutosave(p);
    return this.session(p);
  }

  /** Forgets an autosave: the user chose not to recover it. An open project's own autosave is kept. */
  async discardRecovery(recoveryId: string): Promise<void> {
    const known = (await this.recovery.list()).some((m) => m.id === recoveryId);
    if (!known || this.open.has(recoveryId))
      throw new ProjectError(`Nothing to discard under "${recoveryId}".`, 'not-found', 'id');
    await this.recovery.remove(recoveryId);
  }

  /**
   * Where Save puts this project unless told otherwise: its own file; else `<name>.rnnproj` in the
   * workspace (the web host's first allowed folder) or, with no workspace, the user's home folder. Always
   * absolute, so nothing lands in whatever folder the host process happened to start in.
   */
  suggestPath(id: string): { path: string; folder: string } {
    const p = this.find(id);
    if (p.path) return { path: p.path, folder: dirname(p.path) };
    const folder = this.access.roots[0] ?? homedir();
    const name =
      p.doc.name
        .replace(/[^\w.-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 100) || 'project';
    return { path: join(folder, `${name}.rnnproj`), folder };
  }

  summary(id: string): NodeSummary[] {
    return summarize(analyzeProject(this.find(id).doc).inference);
  }

  /** One entry of the zip (weights/…, checkpoints/…, history/…, data/…), or undefined. */
  readEntry(id: string, name: string): Uint8Array | undefined {
    return this.find(id).entries.get(name);
  }

  listEntries(id: string, prefix = ''): string[] {
    return [...this.find(id).entries.keys()].filter((n) => n.startsWith(prefix)).sort();
  }

  /** Adds, replaces (bytes) or deletes (null) entries; marks the project unsaved. */
  writeEntries(id: string, entries: Record<string, Uint8Array | null>): void {
    const p = this.find(id);
    for (const [name, bytes] of Object.entries(entries)) {
      const problem =
        name === 'project.json'
          ? 'project.json is written from the document'
          : entryNameProblem(name, this.limits);
      if (problem) throw new ProjectError(`Cannot write entry "${name}": ${problem}.`, 'invalid-input', name);
      if (bytes === null) p.entries.delete(name);
      else p.entries.set(name, bytes);
    }
    p.dirty = true;
    this.scheduleAutosave(p);
  }

  /** Writes every pending autosave now (before quitting, and in tests). */
  async flushAutosaves(): Promise<void> {
    for (const p of this.open.values()) {
      if (!p.timer) continue;
      clearTimeout(p.timer);
      p.timer = undefined;
      await this.autosave(p);
    }
  }

  unsaved(): string[] {
    return [...this.open.values()].filter((p) => p.dirty).map((p) => p.doc.name);
  }

  async dispose(): Promise<void> {
    await this.flushAutosaves();
  }

  private fromBytes(
    fileName: string,
    bytes: Uint8Array,
    path: string | null,
    recovered = false,
  ): OpenProject {
    const { doc, entries } = projectFromBytes(fileName, extname(fileName), bytes, this.limits);
    // A bare project.json is not a project file to save back to: it opens as unsaved work.
    if (isProjectJson(fileName, bytes)) return this.add(doc, entries, null, true);
    return this.add(doc, entries, path, recovered);
  }

  private add(
    doc: ProjectDoc,
    entries: Map<string, Uint8Array>,
    path: string | null,
    dirty: boolean,
  ): OpenProject {
    const p: OpenProject = { id: randomBytes(6).toString('hex'), path, doc, entries, dirty };
    this.open.set(p.id, p);
    return p;
  }

  private find(id: string): OpenProject {
    const p = this.open.get(id);
    if (!p)
      throw new ProjectError(`No open project "${id}" (it may have been closed).`, 'not-found', 'projectId');
    return p;
  }

  private bytes(p: OpenProject): Uint8Array {
    return writeProjectZip(serializeProject(p.doc), p.entries);
  }

  private session(p: OpenProject): ProjectSession {
    return {
      projectId: p.id,
      path: p.path,
      name: p.doc.name,
      doc: p.doc,
      dirty: p.dirty,
      diagnostics: analyzeProject(p.doc).diagnostics,
    };
  }

  private scheduleAutosave(p: OpenProject): void {
    const delay = this.options.autosaveMs ?? 2000;
    if (delay <= 0) return;
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      p.timer = undefined;
      void this.autosave(p).catch(() => {});
    }, delay);
    p.timer.unref?.();
  }

  private async autosave(p: OpenProject): Promise<void> {
    if (!this.open.has(p.id) || !p.dirty) return;
    const meta = { id: p.id, name: p.doc.name, path: p.path, savedAt: new Date().toISOString() };
    const previous = p.writing ?? Promise.resolve();
    const writing = previous.catch(() => {}).then(() => this.recovery.save(meta, this.bytes(p)));
    p.writing = writing;
    try {
      await writing;
    } finally {
      if (p.writing === writing) p.writing = undefined;
    }
  }
}
