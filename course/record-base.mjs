// Runs after `npm install`: remembers which commit the course was at before any student work,
// so `npm run reset N` can restore a starter even after the student has committed changes.
// Plain JavaScript on purpose: it runs during install, and must never fail the install.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, '.course', 'base');
try {
  if (!existsSync(file)) {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${commit}\n`);
  }
} catch {
  // Not a git checkout (a downloaded zip, say): reset will use what it can find.
}
