import * as fs from "node:fs";

/**
 * The file system as the logger uses it: descriptor-level calls that report
 * every error on the call that caused it (no buffered writer that could hide
 * ENOSPC until a later flush). Tests wrap `nodeLogFs` to inject failures.
 */
export interface LogFs {
  /** Opens for appending and reading the tail (O_RDWR|O_APPEND|O_CREAT), creating the file with `mode`. */
  openAppend(path: string, mode: number): Promise<number>;
  /** One write(2) at the end of the file; returns the bytes written (may be short). */
  write(fd: number, bytes: Uint8Array): Promise<number>;
  /** One writev(2) of several buffers at the end of the file; returns the bytes written (may be short). */
  writev(fd: number, buffers: Uint8Array[]): Promise<number>;
  read(fd: number, into: Uint8Array, position: number): Promise<number>;
  size(fd: number): Promise<number>;
  truncate(fd: number, length: number): Promise<void>;
  fsync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
  /** Creates missing folders with `mode`; existing ones are left alone. */
  mkdirs(path: string, mode: number): Promise<void>;
  exists(path: string): Promise<boolean>;
  /**
   * Size of `path`, or null when it does not exist. Synchronous: only rotation
   * calls it, to name the next file (a stat per rotation).
   */
  sizeSync(path: string): number | null;
  list(dir: string): Promise<string[]>;
  /** The names in `dir` ([] when it does not exist). Synchronous, like sizeSync: naming the next file. */
  listSync(dir: string): string[];
  readFile(path: string): Promise<Uint8Array>;
  /** Creates (or replaces) `path` with `bytes`, fsyncs it, with `mode`. */
  writeFileSynced(path: string, bytes: Uint8Array, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync of a folder, so a rename in it survives a crash. */
  fsyncDir(path: string): Promise<void>;
}

function call<T>(fn: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

const done = (resolve: () => void, reject: (e: unknown) => void) => (err: NodeJS.ErrnoException | null) =>
  err ? reject(err) : resolve();

function callVoid(fn: (cb: (err: NodeJS.ErrnoException | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn(done(resolve, reject)));
}

export const nodeLogFs: LogFs = {
  openAppend: (path, mode) =>
    call((cb) => fs.open(path, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT, mode, cb)),
  write: (fd, bytes) => call((cb) => fs.write(fd, bytes, 0, bytes.length, null, cb)),
  writev: (fd, buffers) => call((cb) => fs.writev(fd, buffers, null, cb)),
  read: (fd, into, position) => call((cb) => fs.read(fd, into, 0, into.length, position, cb)),
  size: (fd) => call<fs.Stats>((cb) => fs.fstat(fd, cb)).then((s) => s.size),
  truncate: (fd, length) => callVoid((cb) => fs.ftruncate(fd, length, cb)),
  fsync: (fd) => callVoid((cb) => fs.fsync(fd, cb)),
  close: (fd) => callVoid((cb) => fs.close(fd, cb)),
  mkdirs: (path, mode) => callVoid((cb) => fs.mkdir(path, { recursive: true, mode }, (err) => cb(err))),
  exists: (path) =>
    new Promise((resolve) => fs.stat(path, (err) => resolve(err === null || err.code !== "ENOENT"))),
  sizeSync(path) {
    try {
      return fs.statSync(path).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  },
  list: (dir) => call<string[]>((cb) => fs.readdir(dir, cb)),
  listSync(dir) {
    try {
      return fs.readdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
  },
  readFile: (path) => call<Uint8Array>((cb) => fs.readFile(path, cb)),
  async writeFileSynced(path, bytes, mode) {
    const fd = await call<number>((cb) => fs.open(path, "w", mode, cb));
    try {
      let off = 0;
      while (off < bytes.length) {
        off += await call<number>((cb) => fs.write(fd, bytes, off, bytes.length - off, null, cb));
      }
      await callVoid((cb) => fs.fsync(fd, cb));
    } finally {
      await callVoid((cb) => fs.close(fd, cb));
    }
  },
  rename: (from, to) => callVoid((cb) => fs.rename(from, to, cb)),
  unlink: (path) => callVoid((cb) => fs.unlink(path, cb)),
  async fsyncDir(path) {
    const fd = await call<number>((cb) => fs.open(path, fs.constants.O_RDONLY, cb));
    try {
      await callVoid((cb) => fs.fsync(fd, cb));
    } finally {
      await callVoid((cb) => fs.close(fd, cb));
    }
  },
};
