/**
 * Problem packages for judgehosts, by content hash (problems/content-hash.ts).
 *
 *   servePackage (daemon)  GET /judgehost/packages/<hash>: the package as a tar stream, for a request
 *                          signed with the judgehost secret (packageAuth); anything else 401/404
 *   PackageCache (judgehost)  fetch once per hash into <cache>/<hash>/<problem>, check the hash of
 *                          what was unpacked, load it with the same loader as the daemon
 */
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { loadProblemPackage } from '../../problems/index.ts';
import { packageContentHash } from '../../problems/content-hash.ts';
import type { ProblemPackage } from '../../problems/types.ts';
import type { Logger } from '../../server/log.ts';
import type { ProblemCatalog } from '../../server/problem-catalog.ts';
import { checkPackageAuth, packageAuth } from './protocol.ts';

const ROUTE = /^\/judgehost\/packages\/([0-9a-f]{64})$/;

/** Answers a judgehost's package download; false when the path is not a package path. */
export async function servePackage(req: http.IncomingMessage, res: http.ServerResponse, catalog: ProblemCatalog, secret: string, log: Logger): Promise<boolean> {
  const m = ROUTE.exec((req.url ?? '').split('?')[0]!);
  if (!m || req.method !== 'GET') return false;
  const hash = m[1]!;
  const auth = checkPackageAuth(secret, req.headers.authorization, hash);
  if (!auth.ok) {
    log.warn('judgehost package download refused', { address: req.socket.remoteAddress, why: auth.why });
    res.writeHead(401, { 'content-type': 'text/plain' });
    res.end(`judgehost authentication failed: ${auth.why}\n`);
    return true;
  }
  const pkg = catalog.byHash(hash);
  if (!pkg) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('no loaded package has this hash (it changed on the daemon: the next job names the new one)\n');
    return true;
  }
  log.info('judgehost package download', { judgehost: auth.name, problem: pkg.shortName, hash: hash.slice(0, 12) });
  res.writeHead(200, { 'content-type': 'application/x-tar', 'x-judged-problem': pkg.shortName, 'cache-control': 'no-store' });
  await pipeline(tar.create({ cwd: pkg.dir, portable: true, follow: false }, ['.']), res);
  return true;
}

export interface PackageCacheOptions {
  server: string;
  secret: string;
  name: string;
  dir: string;
  log: Logger;
}

export class PackageCache {
  private readonly loaded = new Map<string, Promise<ProblemPackage>>();
  constructor(private readonly o: PackageCacheOptions) {
    fs.mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  }

  /** The package with this hash for this problem id: from memory, the disk cache, or the daemon. */
  get(problemId: string, hash: string): Promise<ProblemPackage> {
    let p = this.loaded.get(hash);
    if (!p) {
      p = this.fetchAndLoad(problemId, hash);
      this.loaded.set(hash, p);
      p.catch(() => this.loaded.delete(hash));
    }
    return p;
  }

  private async fetchAndLoad(problemId: string, hash: string): Promise<ProblemPackage> {
    if (!/^[0-9a-f]{64}$/.test(hash) || !/^[a-z0-9][a-z0-9_-]*$/i.test(problemId)) throw new Error('malformed package hash or problem id');
    const home = path.join(this.o.dir, hash);
    const dir = path.join(home, problemId);
    if (!fs.existsSync(path.join(home, '.verified'))) await this.fetch(hash, home, dir);
    const load = loadProblemPackage(dir, { label: problemId, ordinal: 0 });
    if (!load.problem) throw new Error(`package ${problemId} (${hash.slice(0, 12)}) does not load here: ${load.errors.map((e) => e.message).join('; ')}`);
    return load.problem;
  }

  private async fetch(hash: string, home: string, dir: string): Promise<void> {
    const url = `${this.o.server.replace(/\/$/, '')}/judgehost/packages/${hash}`;
    const res = await fetch(url, { headers: { authorization: packageAuth(this.o.secret, this.o.name, hash) }, signal: AbortSignal.timeout(120_000) });
    if (!res.ok || !res.body) throw new Error(`package download ${url}: HTTP ${res.status} ${(await res.text().catch(() => '')).trim()}`);
    const tmp = `${home}.part-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const into = path.join(tmp, path.basename(dir));
    fs.mkdirSync(into, { recursive: true });
    // strict: a damaged archive is an error; tar refuses entries outside `into` (.., absolute paths).
    await pipeline(Readable.fromWeb(res.body as never), tar.extract({ cwd: into, strict: true, preserveOwner: false }));
    const got = packageContentHash(into);
    if (got !== hash) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`package download ${url}: content hash ${got.slice(0, 12)} is not the ${hash.slice(0, 12)} asked for (refused)`);
    }
    fs.writeFileSync(path.join(tmp, '.verified'), `${hash}\n`);
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(tmp, home);
    this.o.log.info('package fetched and verified', { problem: path.basename(dir), hash: hash.slice(0, 12) });
  }
}
