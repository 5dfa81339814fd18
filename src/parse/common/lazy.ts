/** Lazily computed properties of the parsed model. */

/**
 * Defines `obj[key]` as computed on first read (then a plain data property). Lets a model keep
 * every group's expanded content without expanding the groups nothing reads.
 */
export function defineLazy<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): void {
  const settle = (value: T[K]): void => {
    Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: true });
  };
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get(): T[K] {
      const value = compute();
      settle(value);
      return value;
    },
    set: settle,
  });
}
