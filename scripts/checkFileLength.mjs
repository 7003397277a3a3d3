// Part of `npm run check:architecture`: every server module stays under MAX_LINES lines, so each
// one does one thing that can be read in a sitting. Prints the files over it and exits 1.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const MAX_LINES = 250;

function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(p);
    return entry.name.endsWith('.ts') ? [p] : [];
  });
}

const problems = [];
for (const file of tsFiles(path.join(root, 'server'))) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const lines = fs.readFileSync(file, 'utf8').split('\n').length - 1;
  if (lines >= MAX_LINES) problems.push(`${rel}: ${lines} lines (limit: under ${MAX_LINES})`);
}
if (problems.length > 0) {
  console.error(`Server files must stay under ${MAX_LINES} lines:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`file length: every server file is under ${MAX_LINES} lines`);
