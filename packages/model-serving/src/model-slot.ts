import { type FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ModelLoadError } from './errors.js';
import type { ModelLoader, ServableModel } from './model.js';

/** What a model slot reports as it loads models. */
export interface ModelSlotEvents {
  /** A model went live (first load or a swap). */
  onLoaded?: (model: ServableModel, previous: ServableModel | undefined) => void;
  /** A load failed; the slot keeps the model it had. */
  onLoadFailed?: (error: ModelLoadError) => void;
}

/** Options of {@link ModelSlot}. */
export interface ModelSlotOptions extends ModelSlotEvents {
  /** The model artifact (file or directory) to load and reload. */
  path?: string;
  /** Loads an artifact: the engine's `loadModel`. Required with `path`. */
  load?: ModelLoader;
  /** A model to serve at once (before or instead of `path`). */
  model?: ServableModel;
  /** Quiet time after the last change to the artifact before it is reloaded. @default 200 */
  debounceMs?: number;
}

/**
 * Holds the live model and swaps in a new version without dropping requests: a request takes
 * the model once (`slot.model`) and finishes on it, while a reload builds the next model
 * beside it and replaces the reference only when it loaded completely. A failed load keeps
 * the old model. `watch()` reloads whenever the artifact changes on disk (written in place
 * or replaced by a rename).
 */
export class ModelSlot {
  #model: ServableModel | undefined;
  #loading: Promise<ServableModel> | undefined;
  #again = false;
  #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;
  #watching = false;
  readonly #path: string | undefined;
  readonly #load: ModelLoader | undefined;
  readonly #debounceMs: number;
  readonly #events: ModelSlotEvents;

  constructor(options: ModelSlotOptions) {
    this.#model = options.model;
    this.#path = options.path === undefined ? undefined : resolve(options.path);
    this.#load = options.load;
    this.#debounceMs = options.debounceMs ?? 200;
    this.#events = { onLoaded: options.onLoaded, onLoadFailed: options.onLoadFailed };
    if (this.#path !== undefined && !this.#load)
      throw new ModelLoadError(`a model path (${this.#path}) needs a loader to read it`);
  }

  /** The live model, or `undefined` before the first load. */
  get model(): ServableModel | undefined {
    return this.#model;
  }

  /** The artifact path the slot reloads from. */
  get path(): string | undefined {
    return this.#path;
  }

  /** Makes `model` the live model at once; requests already running finish on the old one. */
  swap(model: ServableModel): void {
    const previous = this.#model;
    this.#model = model;
    this.#events.onLoaded?.(model, previous);
  }

  /**
   * Loads the artifact again and swaps it in. Concurrent calls share one load; a call made
   * while a load runs triggers one more load after it, so the newest bytes always win.
   * @throws ModelLoadError naming the path when the artifact cannot be loaded (the old
   *   model stays live).
   */
  reload(): Promise<ServableModel> {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    const path = this.#path;
    const load = this.#load;
    if (path === undefined || !load)
      return Promise.reject(new ModelLoadError('this model slot has no artifact path to reload'));
    this.#loading = (async () => {
      try {
        let model: ServableModel;
        try {
          model = await load(path);
        } catch (cause) {
          const error = new ModelLoadError(
            `cannot load model ${path}: ${(cause as Error).message}`,
            { cause },
          );
          this.#events.onLoadFailed?.(error);
          throw error;
        }
        this.swap(model);
        return model;
      } finally {
        this.#loading = undefined;
        if (this.#watching) this.#rewatch();
        if (this.#again) {
          this.#again = false;
          this.reload().catch(() => {});
        }
      }
    })();
    return this.#loading;
  }

  /** Reloads the artifact whenever it changes on disk, after `debounceMs` of quiet. */
  watch(): void {
    if (this.#path === undefined) throw new ModelLoadError('this model slot has no path to watch');
    this.#watching = true;
    this.#rewatch();
  }

  #changed = (): void => {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.reload().catch(() => {});
    }, this.#debounceMs);
  };

  // A directory replaced by a rename leaves a watcher on the old inode: watch afresh after
  // every load, both the parent (for replacements) and the artifact directory (for writes).
  #rewatch(): void {
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
    const path = this.#path as string;
    const name = basename(path);
    const add = (dir: string, filter?: string): void => {
      try {
        const w = watch(dir, { persistent: false }, (_event, file) => {
          if (filter === undefined || file === null || file === filter) this.#changed();
        });
        w.on('error', () => {});
        this.#watchers.push(w);
      } catch {
        // The folder does not exist (yet): the parent's watcher reports when it appears.
      }
    };
    add(dirname(path), name);
    try {
      if (statSync(path).isDirectory()) add(path);
    } catch {
      // Not there yet.
    }
  }

  /** Stops watching; the live model stays. */
  close(): void {
    this.#watching = false;
    clearTimeout(this.#timer);
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
  }
}
