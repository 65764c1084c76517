// Every package in package-lock.json must come from the npm registry: no GitHub or other git URLs, no
// tarball URLs elsewhere, no local paths. (@grafana/ui 12.4.2 pulled a GitHub URL; this keeps such a
// dependency from slipping back in.) Registry packages are recognised by an exact version plus an
// integrity hash and, if the lockfile records one at all (npm's omit-lockfile-registry-resolved leaves
// it out), a "resolved" URL of the registry's tarball form, all on one host.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const lockPath = path.resolve(import.meta.dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const TARBALL = /^https:\/\/([^/]+)\/(@[^/]+\/)?[^/]+\/-\/[^/]+\.tgz$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const problems = [];
const hosts = new Set();
let count = 0;
for (const [name, entry] of Object.entries(lock.packages ?? {})) {
  if (name === '' || entry.link || entry.inBundle) {
    continue; // the project itself, workspace links, and files shipped inside another package
  }
  count++;
  if (!EXACT_VERSION.test(entry.version ?? '')) {
    problems.push(`${name}: version "${entry.version}" is not a registry version`);
  }
  if (!entry.integrity) {
    problems.push(`${name}: no integrity hash (git and URL dependencies have none)`);
  }
  if (entry.resolved !== undefined) {
    const match = TARBALL.exec(entry.resolved);
    if (!match) {
      problems.push(`${name}: resolved from ${entry.resolved}, not from the registry`);
    } else {
      hosts.add(match[1]);
    }
  }
}
if (hosts.size > 1) {
  problems.push(`packages are resolved from ${hosts.size} hosts (${[...hosts].join(', ')}); expected one registry`);
}
if (problems.length > 0) {
  console.error('package-lock.json problems:\n  - ' + problems.join('\n  - '));
  process.exit(1);
}
console.log(`package-lock.json: ${count} packages, all registry versions with integrity hashes`);
