/**
 * Types for the parts of citation-js the formatter uses: the packages ship
 * JavaScript only. `@citation-js/plugin-csl` registers the `@csl` plugin on
 * import: its `bibliography` and `citation` output formats and its config
 * (registers of CSL styles and locales by name).
 */
declare module '@citation-js/core' {
  /** Input read into CSL-JSON (the BibTeX plugin reads `.bib` text): throws on a syntax error, naming its line and column. */
  export class Cite {
    constructor(data: unknown, options?: {forceType?: string; generateGraphs?: boolean})
    data: unknown[]
  }

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
    /**
     * The citeproc engine of a style and locale, shared by every caller of
     * that pair (citation-js caches one per pair): its registry is emptied and
     * its item lookup set to `data` on every call.
     */
    engine(data: unknown[], style: string, lang: string | undefined, format: string): CslEngine
  }

  /** The parts of a citeproc-js `CSL.Engine` the formatter uses. */
  export interface CslEngine {
    sys: {retrieveItem: unknown}
    /** Register exactly these items (sorted and disambiguated as a whole); returns their ids in bibliography order. */
    updateItems(ids: string[], nosort?: boolean): string[]
    /** The bibliography of the registered items, in their sorted order: the entries' markup is the second element. */
    makeBibliography(): [Record<string, unknown>, string[]]
    /** One cluster of registered items (every cite in first position), as output in the current format. */
    makeCitationCluster(cites: Array<Record<string, unknown>>): string
    /**
     * A cluster as a citation of a document whose citations before and after
     * it are `pre` and `post` (positions such as ibid within it); `flag` 2
     * (`CSL.ASSUME_ALL_ITEMS_REGISTERED`) leaves the registry alone. Returns
     * a report and `[index, output]` of every citation whose output changed.
     */
    processCitationCluster(
      citation: {
        citationItems: Array<Record<string, unknown>>
        properties: {noteIndex: number}
      },
      pre: unknown[],
      post: unknown[],
      flag?: number
    ): [unknown, Array<[number, string]>]
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

/** Registers the `@bibtex/text` and `@biblatex/text` input formats on import. */
declare module '@citation-js/plugin-bibtex' {}
