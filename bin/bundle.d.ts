/** Options of `bundle` (see ./bundle.js). */
export interface BundleOptions {
  entry: string
  dir: string
  name: string
  packages: 'bundle' | 'external'
  external?: string[]
}

/** See ./bundle.js. */
export function bundle(options: BundleOptions): Promise<string>
