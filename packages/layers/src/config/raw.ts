/** Raw, unchecked input: rules test every value's type before using it. */
export type Raw = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const isString = (x: unknown): x is string => typeof x === "string";
export const isNumber = (x: unknown): x is number => typeof x === "number";
export const isObject = (x: unknown): x is Record<string, Raw> => typeof x === "object" && x !== null && !Array.isArray(x);
export const arrayOf = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
export const entriesOf = (x: unknown): [string, Raw][] => (isObject(x) ? Object.entries(x) : []);
