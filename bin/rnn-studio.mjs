#!/usr/bin/env -S node --initial-old-space-size=128
// `rnn-studio` / `npx rnn-studio`: runs the TypeScript CLI through tsx's loader (a dependency), so the
// checkout needs no build step for the command line. The first line gives V8 the heap setting of a
// process that trains (main/training/engineFlags.ts says why), since `bench` trains in this process.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
