// `rnn-studio export <file> --format json --out DIR`: the architecture alone (graph + layout) as JSON.
// Other formats (tfjs, pytorch) plug into EXPORTERS when their exporters exist.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError, type CliCommand } from '../command.js';
import { serializeArchitecture, type ProjectDoc } from '../../../core/project/index.js';
import { atomicWrite, readProjectFile } from '../../project/index.js';
import { withProjectErrors } from './project-errors.js';

type Exporter = (doc: ProjectDoc, outDir: string) => Promise<string[]>;

export const EXPORTERS: Record<string, Exporter> = {
  async json(doc, outDir) {
    const safe = doc.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
    const file = join(outDir, `${safe}.architecture.json`);
    await atomicWrite(file, serializeArchitecture(doc));
    return [file];
  },
};

export const exportCommand: CliCommand = {
  name: 'export',
  register(program, io) {
    program
      .command('export')
      .description('Export a project. json: the architecture (graph and layout) without data or weights.')
      .argument('<file>', 'a .rnnproj')
      .requiredOption('--format <format>', `one of: ${Object.keys(EXPORTERS).join(', ')}`)
      .requiredOption('--out <dir>', 'folder to write into (created if missing)')
      .action(async (file: string, options: { format: string; out: string }) => {
        const exporter = EXPORTERS[options.format];
        if (!exporter) throw new CliError(`--format must be one of ${Object.keys(EXPORTERS).join(', ')}, not "${options.format}".`);
        const { doc } = await withProjectErrors(() => readProjectFile(file));
        const outDir = resolve(options.out);
        await mkdir(outDir, { recursive: true });
        for (const written of await exporter(doc, outDir)) io.out(`wrote ${written}\n`);
      });
  },
};
