/**
 * The zip container of an .xlsx/.xlsm package: parts read with yauzl (inflated by Node's zlib, as
 * streams) and written with yazl. Inflated bytes are counted as they stream, so a package that
 * inflates past the limits below is refused early, whatever its headers declare.
 */
import { Transform, type Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import * as yazl from 'yazl';
import * as fs from 'node:fs';

/** No part kam reads into memory (workbook, styles, shared strings, rules sheet) may inflate past this. */
export const MAX_PART_IN_MEMORY = 256 * 1024 * 1024;
/** No package may inflate past this in all (a full 1,048,576-row sheet of 10 columns is ~0.4 GiB). */
export const MAX_PACKAGE_INFLATED = 4 * 1024 * 1024 * 1024;

/** A package that inflates past a limit: the message names the part and the limit. */
export class PackageTooLarge extends Error {
  constructor(
    readonly part: string,
    readonly limit: number,
  ) {
    super(`${part} inflates past ${formatBytes(limit)}`);
    this.name = 'PackageTooLarge';
  }
}

export function formatBytes(n: number): string {
  return n >= 1024 ** 3 ? `${n / 1024 ** 3} GiB` : `${n / 1024 ** 2} MiB`;
}

export interface PartEntry {
  /** The zip entry name, as in the file (no leading slash). */
  name: string;
  entry: yauzl.Entry;
}

export class ZipPackage {
  private readonly byName = new Map<string, PartEntry>();

  private constructor(
    private readonly zip: yauzl.ZipFile,
    /** Every entry, in the order of the file. */
    readonly parts: readonly PartEntry[],
  ) {
    for (const p of parts) this.byName.set(p.name.toLowerCase(), p);
  }

  static async open(file: string): Promise<ZipPackage> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))),
    );
    const parts: PartEntry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        parts.push({ name: entry.fileName, entry });
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    // What the headers declare is checked first; the bytes are counted again as they inflate.
    let declared = 0;
    for (const p of parts) {
      declared += p.entry.uncompressedSize;
      if (declared > MAX_PACKAGE_INFLATED) {
        zip.close();
        throw new PackageTooLarge('the package', MAX_PACKAGE_INFLATED);
      }
    }
    return new ZipPackage(zip, parts);
  }

  /** A part by name (OPC part names ignore case); a leading slash is allowed. */
  part(name: string): PartEntry | undefined {
    return this.byName.get(name.replace(/^\//, '').toLowerCase());
  }

  has(name: string): boolean {
    return this.part(name) !== undefined;
  }

  private inflated = 0;

  /** A part's inflated bytes as a stream, counted against the package limit (and `limit`, if given). */
  async stream(name: string, limit?: number): Promise<Readable> {
    const part = this.part(name);
    if (!part) throw new Error(`the package has no part ${name}`);
    if (limit !== undefined && part.entry.uncompressedSize > limit) throw new PackageTooLarge(part.name, limit);
    const raw = await new Promise<Readable>((resolve, reject) => this.zip.openReadStream(part.entry, (err, s) => (err ? reject(err) : resolve(s))));
    let own = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        own += chunk.length;
        this.inflated += chunk.length;
        if (limit !== undefined && own > limit) return done(new PackageTooLarge(part.name, limit));
        if (this.inflated > MAX_PACKAGE_INFLATED) return done(new PackageTooLarge('the package', MAX_PACKAGE_INFLATED));
        done(null, chunk);
      },
    });
    raw.on('error', (e) => counter.destroy(e));
    return raw.pipe(counter);
  }

  /** A part's bytes, for the small parts kam edits or reads whole. */
  async bytes(name: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(name, MAX_PART_IN_MEMORY)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** A small part as text (UTF-8; UTF-16 with a byte-order mark is allowed by XML and read too). */
  async text(name: string): Promise<string> {
    const b = await this.bytes(name);
    if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b);
    if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b);
    return new TextDecoder('utf-8').decode(b);
  }

  close(): void {
    this.zip.close();
  }
}

/** What goes into the written package, in order: a part copied, replaced by bytes, or produced by a stream. */
export type OutPart = { name: string; copy: true } | { name: string; bytes: Buffer } | { name: string; stream: () => Promise<Readable>; sizeHint?: number };

/** Writes a package: carried parts are re-compressed from their inflated bytes, unchanged. */
export async function writePackage(source: ZipPackage, parts: readonly OutPart[], target: string): Promise<void> {
  const out = new yazl.ZipFile();
  let failure: unknown;
  const file = fs.createWriteStream(target);
  const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
  const written = new Promise<void>((resolve, reject) => {
    // A part that fails to read stops the write: the output stream would never end.
    const stop = (e: unknown): void => {
      failure ??= e;
      out.outputStream.unpipe(file);
      file.destroy();
      reject(asError(failure));
    };
    out.on('error', stop);
    out.outputStream.on('error', stop);
    file.on('error', stop);
    file.on('close', () => (failure === undefined ? resolve() : reject(asError(failure))));
    out.outputStream.pipe(file);
  });
  const fail = (e: unknown): void => {
    if (failure === undefined) out.emit('error', asError(e));
  };
  for (const p of parts) {
    const mtime = 'copy' in p ? (source.part(p.name)?.entry.getLastModDate() ?? new Date()) : new Date();
    if (p.name.endsWith('/')) {
      out.addEmptyDirectory(p.name, { mtime });
      continue;
    }
    if ('bytes' in p) {
      out.addBuffer(p.bytes, p.name, { mtime });
      continue;
    }
    const open = 'copy' in p ? () => source.stream(p.name) : p.stream;
    // Large parts (a full sheet) are compressed fast: deflate's default level would take most of the run.
    const size = 'copy' in p ? (source.part(p.name)?.entry.uncompressedSize ?? 0) : (p.sizeHint ?? 0);
    out.addReadStreamLazy(p.name, { mtime, compressionLevel: size > 16 * 1024 * 1024 ? 1 : 6 }, (cb) => {
      open().then(
        (s) => {
          s.on('error', fail);
          cb(null, s);
        },
        (e: unknown) => {
          fail(e);
          cb(e instanceof Error ? e : new Error(String(e)), undefined as unknown as Readable);
        },
      );
    });
  }
  out.end();
  await written;
}
