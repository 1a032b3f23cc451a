// `rnn-studio export <file> --format tfjs|pytorch|json --out DIR`. tfjs and pytorch carry the trained
// weights (a project must be trained first); json is the architecture alone (graph and layout).
import { resolve } from 'node:path';
import { CliError, type CliCommand } from '../command.js';
import { EXPORTERS, writeProjectExport, type ExportFormat } from '../../export/index.js';
import { openProjectFiles } from './projectFiles.js';

export const exportCommand: CliCommand = {
  name: 'export',
  register(program, io) {
    program
      .command('export')
      .description(
        'Export a project: tfjs (a TensorFlow.js LayersModel), ' +
          'pytorch (a project that trains and predicts), or json (the architecture alone).',
      )
      .argument('<file>', 'a .rnnproj')
      .requiredOption('--format <format>', `one of: ${EXPORTERS.map((e) => e.format).join(', ')}`)
      .requiredOption('--out <dir>', 'folder to write into (created if missing)')
      .action(async (file: string, options: { format: string; out: string }) => {
        const exporter = EXPORTERS.find((e) => e.format === options.format);
        if (!exporter)
          throw new CliError(
            `--format must be one of ${EXPORTERS.map((e) => e.format).join(', ')}, not "${options.format}".`,
          );
        const { doc, files } = await openProjectFiles(file);
        // Created by the export itself, after checking it is a folder (main/files).
        const outDir = resolve(options.out);
        let written: string[];
        try {
          written = await writeProjectExport(doc, files, exporter.format as ExportFormat, outDir);
        } catch (error) {
          throw new CliError(`Cannot export ${file} as ${exporter.format}: ${(error as Error).message}`);
        }
        for (const path of written) io.out(`wrote ${path}\n`);
      });
  },
};
