// A trained sentiment project for the tests of evaluation and bulk prediction: the sentiment template
// with one completed run whose checkpoint holds seeded random weights (a real, non-trivial model, made in
// milliseconds instead of minutes of training).
import { writeTrainedProjectFile } from '../../../fixtures/training/trainedProjectFile.js';

/** The sentiment template with a run whose checkpoint holds seeded random weights (not a trivial model). */
export async function trainedSentiment(file: string): Promise<string> {
  await writeTrainedProjectFile(file, 'sentiment', undefined, 7);
  return file;
}
