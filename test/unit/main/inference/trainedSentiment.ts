// The trained-project fixture, under the name the inference tests use.
export { trainedSentiment, trainedTemplate } from '../../../fixtures/training/trainedProjectFile.js';
