// Installs the packed library into the consumer example (projects/consumer-example), afresh
// each time: npm would otherwise keep an earlier tarball of the same version.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const dir = 'projects/consumer-example';
rmSync(`${dir}/node_modules/@latchkey`, { recursive: true, force: true });
rmSync(`${dir}/node_modules/.package-lock.json`, { force: true });
execFileSync('npm', ['install', '--no-save'], {
  cwd: dir,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
