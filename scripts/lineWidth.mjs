// Lines wider than the code's format width (`printWidth` of .prettierrc.json) in the source files git
// knows (tracked, or new and not ignored). Prettier keeps code within it but leaves long strings,
// comments and template literals as they are; this check holds those to the same width. Width is counted
// in characters, as Prettier counts it. Prints `file:line: N characters (width W)` for each, and exits 1
// when there is any. Run by `npm run lint` and `npm test`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const SOURCES = ['*.ts', '*.mts', '*.vue', '*.js', '*.mjs', '*.cjs'];

const width = JSON.parse(readFileSync('.prettierrc.json', 'utf8')).printWidth;
const listed = execFileSync(
  'git',
  ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...SOURCES],
  {
    encoding: 'utf8',
  },
);
const files = [...new Set(listed.split('\0').filter(Boolean))];

const wide = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the working tree
  }
  text.split(/\r?\n/).forEach((line, i) => {
    const length = [...line].length;
    if (length > width) wide.push(`${file}:${i + 1}: ${length} characters (width ${width})`);
  });
}

if (wide.length > 0) {
  console.error(wide.join('\n'));
  const lines = `${wide.length} line${wide.length === 1 ? '' : 's'}`;
  console.error(
    `\n${lines} wider than ${width} characters in ${files.length} source files: ` +
      'rewrap the comment, split the string with + or name it as a constant.',
  );
  process.exit(1);
}
console.log(`line width: every line of ${files.length} source files within ${width} characters`);
