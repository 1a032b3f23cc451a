// Debian's python3-torch, which the PyTorch export tests run (the python3 on PATH may lack torch).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';
export const hasTorch =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasTorch)
  console.log(
    `[skip] PyTorch export tests: ${PYTHON} cannot import torch and numpy (install python3-torch; ` +
      `.ci/run does).`,
  );
