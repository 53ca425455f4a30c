/** See ./bundle.js. */
export function bundle(options: {entry: string; dir: string; name: string; packages: 'bundle' | 'external'; external?: string[]}): Promise<string>
/** See ./bundle.js. */
export function freshBundle(options: {dir: string; name: string}): Promise<string | undefined>
