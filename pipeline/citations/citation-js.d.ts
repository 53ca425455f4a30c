/**
 * Types for the parts of citation-js the formatter uses: the packages ship
 * JavaScript only. `@citation-js/plugin-csl` registers the `@csl` plugin on
 * import: its `bibliography` and `citation` output formats and its config
 * (registers of CSL styles and locales by name).
 */
declare module '@citation-js/core' {
  /** A named register (styles, locales) of citation-js. */
  export interface Register<T> {
    add(name: string, value: T): unknown
    set(name: string, value: T): unknown
    get(name: string): T | undefined
    has(name: string): boolean
    list(): string[]
  }

  /** An output format: data (CSL-JSON) and options in, formatted output out. */
  export type OutputFormatter = (data: unknown[], options?: Record<string, unknown>) => unknown

  /** The config of the `@csl` plugin. */
  export interface CslConfig {
    styles: Register<string>
    locales: Register<string>
  }

  export namespace plugins {
    namespace output {
      function format(name: string, data: unknown[], options?: Record<string, unknown>): unknown
      function has(name: string): boolean
      function add(name: string, formatter: OutputFormatter): void
      const register: Register<OutputFormatter>
    }
    namespace config {
      function get(ref: '@csl'): CslConfig | undefined
    }
  }
}

declare module '@citation-js/plugin-csl' {}
