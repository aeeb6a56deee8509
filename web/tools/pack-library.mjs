// Packs the built library (dist/latchkey-angular, from `ng build latchkey-angular`) into
// target/latchkey-angular-<version>.tgz: the file an adopter would install, and the one the
// consumer example installs. Fails when the consumer example names another file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const built = 'dist/latchkey-angular';
if (!existsSync(`${built}/package.json`)) {
  throw new Error(`${built} is missing: run "npm run build:lib" first`);
}
const { name, version } = JSON.parse(readFileSync(`${built}/package.json`, 'utf8'));
const tarball = `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

mkdirSync('target', { recursive: true });
execFileSync('npm', ['pack', `./${built}`, '--pack-destination', 'target', '--silent'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (!existsSync(`target/${tarball}`)) {
  throw new Error(`npm pack did not write target/${tarball}`);
}

const consumer = JSON.parse(readFileSync('projects/consumer-example/package.json', 'utf8'));
const wanted = `file:../../target/${tarball}`;
if (consumer.dependencies?.[name] !== wanted) {
  throw new Error(`projects/consumer-example/package.json must depend on "${name}": "${wanted}"`);
}
console.log(`Packed ${name}@${version} into target/${tarball}`);
