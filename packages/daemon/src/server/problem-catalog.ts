/**
 * What clients may read about the loaded problems: summaries, statements with samples, attachments.
 * Built once at start from the loaded packages, so a request never touches the package files except
 * to read an attachment the package declares (never a path a client names).
 */
import fs from 'node:fs';
import { zipSync } from 'fflate';
import { toProblemSummary, type ProblemInfo, type ProblemSummary } from '@judged/shared/problem';
import { toProblemInfo } from '../problems/index.ts';
import { packageContentHash } from '../problems/content-hash.ts';
import type { ProblemPackage } from '../problems/types.ts';
import type { StoredProblem } from '../store/index.ts';

/** Attachments are sent inline as base64; larger ones would not fit a frame. */
export const MAX_ATTACHMENT_BYTES = 1024 * 1024;

export interface PublishedFile {
  filename: string;
  mime: string;
  path: string;
  sizeBytes: number;
}

export interface ProblemCatalog {
  list(): ProblemSummary[];
  info(id: string): ProblemInfo | undefined;
  /** The package behind a problem id (for the judging workers). */
  pkg(id: string): ProblemPackage | undefined;
  attachment(id: string, name: string): { path: string; sizeBytes: number } | undefined;
  /**
   * The PDF statement in `language` (else English, else the first) or the samples zip, named for the
   * team's disk; undefined when the problem has none.
   */
  problemFile(id: string, kind: 'statementPdf' | 'samplesZip', language?: string): { name: string; bytes: Uint8Array } | undefined;
  /**
   * The PDF statements (one per language, named <id>.<language>.pdf) and attachments the Contest API
   * lists as FILE references and serves; the same files as problemFile and attachment.
   */
  publishedFiles(id: string): { statement: PublishedFile[]; attachments: PublishedFile[] };
  /** The package's content hash (computed on first use: only judgehosts need it). */
  hash(id: string): string | undefined;
  /** The package with this content hash (what a judgehost may download). */
  byHash(hash: string): ProblemPackage | undefined;
}

export function buildProblemCatalog(packages: readonly ProblemPackage[]): ProblemCatalog {
  const infos = new Map<string, ProblemInfo>();
  const pkgs = new Map<string, ProblemPackage>();
  for (const p of packages) {
    infos.set(p.shortName, toProblemInfo(p));
    pkgs.set(p.shortName, p);
  }
  const summaries = [...infos.values()].map(toProblemSummary);
  let hashes: { byId: Map<string, string>; byHash: Map<string, ProblemPackage> } | null = null;
  const hashed = () => {
    if (!hashes) {
      hashes = { byId: new Map(), byHash: new Map() };
      for (const p of packages) {
        const h = packageContentHash(p.dir);
        hashes.byId.set(p.shortName, h);
        hashes.byHash.set(h, p);
      }
    }
    return hashes;
  };
  // Built on first request and kept: sample files do not change while the daemon runs.
  const zips = new Map<string, Uint8Array>();
  const samplesZip = (p: ProblemPackage): Uint8Array => {
    let zip = zips.get(p.shortName);
    if (!zip) {
      const entries: Record<string, [Uint8Array, { mtime: number }]> = {};
      for (const f of p.sampleFiles) entries[f.name] = [fs.readFileSync(f.path), { mtime: Date.UTC(2000, 0, 1) }];
      zip = zipSync(entries, { level: 6 });
      zips.set(p.shortName, zip);
    }
    return zip;
  };
  const published = new Map<string, { statement: PublishedFile[]; attachments: PublishedFile[] }>();
  for (const p of packages) {
    published.set(p.shortName, {
      statement: p.pdfStatements.map((s) => ({ filename: `${p.shortName}.${s.language}.pdf`, mime: 'application/pdf', path: s.path, sizeBytes: s.sizeBytes })),
      attachments: p.attachments.map((a) => ({ filename: a.name, mime: mediaTypeOf(a.name), path: a.path, sizeBytes: a.sizeBytes })),
    });
  }
  return {
    publishedFiles: (id) => published.get(id) ?? { statement: [], attachments: [] },
    problemFile(id, kind, language) {
      const p = pkgs.get(id);
      if (!p) return undefined;
      if (kind === 'samplesZip') return p.sampleFiles.length > 0 ? { name: `${p.shortName}-samples.zip`, bytes: samplesZip(p) } : undefined;
      const pdf = p.pdfStatements.find((s) => s.language === language) ?? p.pdfStatements.find((s) => s.language === 'en') ?? p.pdfStatements[0];
      return pdf ? { name: `${p.shortName}.${pdf.language}.pdf`, bytes: fs.readFileSync(pdf.path) } : undefined;
    },
    hash: (id) => hashed().byId.get(id),
    byHash: (hash) => hashed().byHash.get(hash),
    list: () => summaries,
    info: (id) => infos.get(id),
    pkg: (id) => pkgs.get(id),
    attachment(id, name) {
      const a = pkgs.get(id)?.attachments.find((x) => x.name === name);
      if (!a) return undefined;
      return { path: a.path, sizeBytes: fs.statSync(a.path).size };
    },
  };
}

/**
 * The contest's problems as clients see them: the catalog's summaries of the active problems in the
 * contest's order, with the contest's labels and colours (a contest dir's problemset.yaml may relabel
 * what the problems dir's own problemset.yaml says).
 */
export function contestProblems<T extends ProblemSummary>(stored: readonly StoredProblem[], lookup: (id: string) => T | undefined): T[] {
  return stored.flatMap((sp) => {
    const p = lookup(sp.id);
    return p ? [{ ...p, label: sp.label, colour: sp.colour }] : [];
  });
}

/** The media type of a package file, by its extension. */
export function mediaTypeOf(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    txt: 'text/plain',
    in: 'text/plain',
    ans: 'text/plain',
    md: 'text/markdown',
    pdf: 'application/pdf',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    zip: 'application/zip',
    py: 'text/x-python',
    c: 'text/x-c',
    cpp: 'text/x-c++',
    h: 'text/x-c',
    java: 'text/x-java',
  };
  return types[ext] ?? 'application/octet-stream';
}
