// Runs `npm ci` only when node_modules is missing or older than package-lock.json,
// so repeated Maven builds do not reinstall the same packages.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
const stale =
  !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
} else {
  console.log('node_modules is up to date with package-lock.json');
}
