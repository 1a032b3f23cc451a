// How the project commands turn a ProjectError into the CLI's exit codes: a missing file or a broken
// install is 2, anything the user can fix in their file is 1.
import { CliError, EXIT_INTERNAL, EXIT_INVALID } from '../command.js';
import { ProjectError } from '../../project/index.js';

export async function withProjectErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProjectError) {
      const userCanFix = error.code === 'invalid-input' || error.where === 'templateId';
      throw new CliError(error.message, userCanFix ? EXIT_INVALID : EXIT_INTERNAL);
    }
    throw error;
  }
}
