#!/usr/bin/env node
// `rnn-studio` / `npx rnn-studio`: runs the TypeScript CLI through tsx's loader (a dependency), so the
// checkout needs no build step for the command line.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
