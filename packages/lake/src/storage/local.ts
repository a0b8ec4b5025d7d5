import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { LakeStorageError } from '../errors.js';
import type { LakeStorage, StoredObject } from './types.js';

function checkKey(key: string): string {
  if (
    key === '' ||
    key.startsWith('/') ||
    key.split('/').some((p) => p === '..' || p === '.' || p === '')
  )
    throw new LakeStorageError(`invalid lake object key '${key}'`);
  return key;
}

/** A lake in a local folder. Writes go to a hidden temporary name, then are renamed. */
export class LocalStorage implements LakeStorage {
  readonly uri: string;
  readonly localRoot: string;

  constructor(root: string) {
    this.uri = root;
    this.localRoot = resolve(root);
  }

  private path(key: string): string {
    return join(this.localRoot, ...checkKey(key).split('/'));
  }

  private async atomically(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.path(key);
    const tmp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(dirname(target), { recursive: true });
      await write(tmp);
      await rename(tmp, target);
    } catch (cause) {
      await rm(tmp, { force: true });
      throw new LakeStorageError(`cannot write ${target}: ${(cause as Error).message}`, { cause });
    }
  }

  async putFile(key: string, path: string, options: { move?: boolean } = {}): Promise<void> {
    await this.atomically(key, async (tmp) => {
      if (options.move) {
        try {
          await rename(path, tmp);
          return;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        }
      }
      await copyFile(path, tmp);
      if (options.move) await rm(path, { force: true });
    });
  }

  async putBytes(key: string, bytes: Uint8Array | string): Promise<void> {
    await this.atomically(key, (tmp) => writeFile(tmp, bytes));
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LakeStorageError(`cannot read ${this.path(key)}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw new LakeStorageError(`cannot list ${dir}: ${(e as Error).message}`, { cause: e });
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const key = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (
            prefix.startsWith(`${key}/`) ||
            key.startsWith(prefix) ||
            `${key}/`.startsWith(prefix)
          )
            await walk(join(dir, entry.name), key);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          out.push({ key, size: (await stat(join(dir, entry.name))).size });
        }
      }
    };
    await walk(this.localRoot, '');
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async download(key: string, path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await copyFile(this.path(key), path);
  }

  /** The local path of `key` (for DuckDB globs). */
  pathOf(key: string): string {
    return this.path(key).split(sep).join('/');
  }
}
