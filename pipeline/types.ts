/**
 * Shared types of the Twofold pipeline: the book as loaded from its directory,
 * the custom mdast nodes the shared plugins produce, and the data they leave on
 * each chapter's VFile. Targets (web, EPUB) read these; they never re-parse.
 */
import type {ElementContent} from 'hast'
import type {BlockContent, DefinitionContent, Parent, PhrasingContent, Root} from 'mdast'
import type {VFile} from 'vfile'

/** Book metadata from `book.yaml`, validated. */
export interface BookMeta {
  title: string
  subtitle?: string | undefined
  authors: string[]
  /** BCP 47 language tag, e.g. `en`. */
  language: string
  description: string
  /** Publication date, `YYYY-MM-DD`. */
  date: string
  /** EPUB file name without extension: `dist/<ebook>.epub`. */
  ebook: string
  /** Edition, part of the stable EPUB identifier. Default `1`. */
  edition: string
  publisher?: string | undefined
  /** Rights statement. */
  rights?: string | undefined
  /** CSL style id or path to a `.csl` file, relative to the book directory. Default: the shipped Chicago full-note style. */
  citationStyle?: string | undefined
  /** Canonical base URL of the web story, e.g. `https://example.org/lima/`. */
  url?: string | undefined
  /** The author's own cover image (PNG or JPEG), an absolute path; without it a cover is drawn. */
  cover?: string | undefined
  /** How each diagnostics rule is reported, by rule id (`rules:` in book.yaml; see `applyRules`). */
  rules?: Record<string, 'off' | 'warn' | 'error'> | undefined
}

/**
 * Where a chapter sits in a book read from another tool's layout (mdBook, Quarto, Bookdown): the part it
 * belongs to, whether it is an appendix, how deep it is nested, whether it is numbered. A plain folder's
 * chapters have none of these.
 */
export interface ChapterPlace {
  /** Title of the part the chapter belongs to. */
  part?: string | undefined
  /** An appendix: lettered A, B… instead of numbered. */
  appendix?: boolean | undefined
  /** Nesting under the chapter before it (mdBook's nested sections): 0 at the top. */
  depth?: number | undefined
  /** Without a number (mdBook's prefix and suffix chapters). */
  unnumbered?: boolean | undefined
}

/** One named state of a graphic. */
export interface GraphicState {
  id: string
  /** A short name for figure captions (“The takeover”): `label:` in a data file, `data-label` on the `<desc>`. */
  label?: string | undefined
  /** Text description of what the graphic shows in this state; the alt text. */
  description: string
}

/** Which artboard of a graphic: `wide` (desktop, print, EPUB) or `narrow` (phones). */
export type GraphicVariant = 'wide' | 'narrow'

/**
 * A graphic: an SVG whose elements are shown or hidden per state.
 *
 * Convention (see README, “Graphics”): the root `<svg>` declares its states, in
 * order, as `<desc data-state="id">description</desc>` children; any element
 * with `data-states="a b"` is visible only in those states; everything else is
 * always visible.
 */
export interface Graphic {
  name: string
  /** Source path relative to the book directory (the `.svg`, or the data file it was generated from). */
  path: string
  title: string
  states: GraphicState[]
  /** The full SVG with state markers, for inline use on the web. */
  svg: string
  /**
   * The narrow (phone) variant, same states in the same order, when there is
   * one: generated graphics always have one; a hand-made `<name>.svg` has one
   * when `<name>.narrow.svg` exists. Without it, `svg` serves both.
   */
  svgNarrow?: string | undefined
  /** The credit line (the text of the element marked `data-frame="credit"`), shown once under a figure sequence. */
  credit?: string | undefined
  /**
   * The data behind the graphic, for its data table: from a generated
   * graphic's data, or from the `data-label`, `data-value` and `data-source`
   * of a hand-made SVG's elements (column heads from the root's `data-columns="Item|Value"`).
   */
  table?: GraphicTable | undefined
  /** Names a step can zoom to or highlight: the ids and `data-mark` names of the graphic's elements. */
  marks: ReadonlySet<string>
  /** A standalone SVG of one state (markers removed), for static images: the `wide` variant by default; `narrow` falls back to wide when there is none. */
  renderState: (state: string, variant?: GraphicVariant, options?: RenderOptions) => string
}

/** A graphic's data table. */
export interface GraphicTable {
  columns: [string, string]
  rows: Array<{label: string; value: string; source?: string | undefined}>
}

/** How to render a static state. */
export interface RenderOptions {
  /**
   * For a figure sequence (EPUB): without the elements marked `data-frame`
   * (title, credit, background), cropped to the root's `data-bare-viewbox`,
   * in colours legible on white, sepia and black pages (with the light and
   * dark palettes for readers that honour `prefers-color-scheme`).
   */
  bare?: boolean
  /** A step's zoom and highlight, drawn into the figure (`pipeline/figures/static-focus.ts`). */
  focus?: FigureFocus | undefined
}

/** The focus effects a static figure shows: a step's `zoom`, and the marks its `highlight` and `:hl` spans light. */
export interface FigureFocus {
  zoom?: string | undefined
  highlight?: string[] | undefined
}

/** A CSL-JSON item (the subset the pipeline relies on). */
export interface CslItem {
  id: string
  type: string
  title?: string
  language?: string
  [key: string]: unknown
}

/** One cite inside a citation, as in Pandoc: `[see @key, p. 3]`. */
export interface CiteItem {
  key: string
  prefix: string
  /** Locator and suffix text after the comma, e.g. `p. 3`. */
  suffix: string
  /** `-@key`: suppress the author. */
  suppressAuthor: boolean
  /**
   * Where the cite stands among its chapter's notes, as CSL's `position` (set by `numberCitations`, see
   * ../citations/positions.ts): `first` when absent. A note style prints a full note at `first`, a short one after.
   */
  position?: CitePosition | undefined
  /** Notes since the chapter last cited the same work, on a cite that is not `first` (for CSL's `near-note`). */
  noteDistance?: number | undefined
  /** Number of the chapter's first note citing the work, on a later note (CSL's `first-reference-note-number`). */
  firstNote?: number | undefined
}

/** CSL's positions of a cite: the work's first cite (in its chapter), a later one, or one right after a cite of it. */
export type CitePosition = 'first' | 'subsequent' | 'ibid' | 'ibid-with-locator'

/** A citation node (`[@a; @b]` or in-text `@a`), made by remark-citations. */
export interface Citation extends Parent {
  type: 'citation'
  mode: 'parenthetical' | 'in-text'
  items: CiteItem[]
  /** The note's number: 1-based, in reading order, from 1 in each chapter (set when numbered). */
  number: number
  /** Unique id of this citing place in its chapter, for backlinks: `cite-<n>`. */
  id: string
  children: PhrasingContent[]
}

/** A scroll step: prose that shows one state of its section's graphic. */
export interface ScrollyStep extends Parent {
  type: 'scrollyStep'
  /** State id of the section's graphic. */
  state: string
  /** Unique id across the book, for deep links: `step-<chapter>-<n>`. */
  id: string
  /** Focus effects: zoom to a mark (or to a viewBox `x y w h`), highlight marks, follow the step's scroll progress. */
  zoom?: string | undefined
  highlight?: string[] | undefined
  progress?: boolean | undefined
  children: Array<BlockContent | DefinitionContent>
}

/** A scrolly section: a sticky graphic and the steps that drive it. */
export interface ScrollySection extends Parent {
  type: 'scrollySection'
  /** Graphic name (file name under `figures/` without extension). */
  graphic: string
  /** Layout: `side` (graphic beside the steps on wide screens) or `overlay` (steps over a full-width graphic). */
  layout: 'side' | 'overlay'
  id: string
  children: ScrollyStep[]
}

/** One source's account inside a contested claim. */
export interface ContestedAccount extends Parent {
  type: 'contestedAccount'
  children: PhrasingContent[]
}

/** A passage on which the sources disagree, and what each says. */
export interface ContestedClaim extends Parent {
  type: 'contestedClaim'
  id: string
  /** What is disputed, e.g. “How many people were at the party”. */
  topic: string
  /** The passage of the story, as it reads. */
  children: Array<BlockContent | DefinitionContent>
  accounts: ContestedAccount[]
}

declare module 'mdast' {
  interface PhrasingContentMap {
    citation: Citation
  }
  interface BlockContentMap {
    scrollySection: ScrollySection
    contestedClaim: ContestedClaim
  }
  interface RootContentMap {
    citation: Citation
    scrollySection: ScrollySection
    scrollyStep: ScrollyStep
    contestedClaim: ContestedClaim
    contestedAccount: ContestedAccount
  }
}

/** Frontmatter of a chapter, validated. */
export interface ChapterMeta {
  title: string
  /** Optional short description (web meta description). */
  description?: string | undefined
  [key: string]: unknown
}

declare module 'vfile' {
  interface DataMap {
    /** Validated frontmatter. */
    meta: ChapterMeta
    /** Words a reader reads in the chapter, counted at the parse. */
    words: number
    /** Chapter number from the file name. */
    number: number
    /** Chapter slug from the file name. */
    slug: string
    /** Book directory the file belongs to (absolute). */
    bookDir: string
    /** Citations of this chapter in reading order. */
    citations: Citation[]
    /** Contested claims of this chapter in reading order. */
    contested: ContestedClaim[]
    /** Graphics this chapter's scrolly sections use. */
    graphicsUsed: string[]
    /** Local images this chapter uses: url as written → absolute path. */
    images: Record<string, string>
    /** The title the book's own contents give the chapter (mdBook's SUMMARY.md): used when the file opens without `# Title`. */
    listedTitle: string
    /** The frontmatter is the book's, not the chapter's (Bookdown's index.Rmd): its `title` is not the chapter's. */
    bookFrontmatter: boolean
    /** Bookdown's `# (PART) …` and `# (APPENDIX) …` headings mark parts: they leave the chapter's tree. */
    partMarkers: boolean
    /** The id the author gave the chapter's `# Title {#sec-x}` heading, which leaves the tree (set by remark-chapter-meta). */
    titleId: string
  }
}

/** One chapter: its file, its one parsed and transformed tree. */
export interface Chapter {
  number: number
  slug: string
  title: string
  /** Part, appendix, nesting (books read from mdBook, Quarto, Bookdown). */
  place?: ChapterPlace | undefined
  file: VFile
  tree: Root
}

/** The author's own cover image, read and checked. */
export interface CoverImage {
  /** Absolute path of the file. */
  path: string
  data: Uint8Array
  mediaType: 'image/png' | 'image/jpeg'
  extension: 'png' | 'jpg'
  width: number
  height: number
}

/** Everything a target needs: metadata, chapters (parsed once), graphics, bibliography. */
export interface Book {
  /** Absolute path of the book directory. */
  dir: string
  meta: BookMeta
  chapters: Chapter[]
  graphics: Map<string, Graphic>
  references: CslItem[]
  /** The book's CSL formatter (style from `citationStyle`, locale from `language`), made once per build and shared by both targets. */
  formatter: Formatter
  /** The author's own cover, when the book names one (else the targets draw one). */
  cover?: CoverImage | undefined
}

/** A file a target produces: path relative to the target's output root. */
export interface OutputFile {
  path: string
  contents: string | Uint8Array
}

/** A formatted entry or note. */
export interface Formatted {
  /** HTML of the content (no wrapper element), as data: turn it into nodes with the `*Hast` methods. */
  html: string
  /** Plain text. */
  text: string
}

/** Formats one book's references; see `createFormatter` in ./citations/formatter.ts. */
export interface Formatter {
  /** Name of the style in use (a style id, or `file:<path>#<content hash>` for a style file). */
  readonly style: string
  /** CSL locale in use, or `undefined` for the style's default. */
  readonly locale: string | undefined
  /** Bibliography entry of a reference. Throws for an id not in the bibliography (the plugin reports those first). */
  entry(id: string): Formatted
  /** Bibliography entry as fresh hast nodes (safe to insert anywhere). */
  entryHast(id: string): ElementContent[]
  /** Note text for one cite: its reference with locator, prefix and suffix. */
  note(item: CiteItem): Formatted
  /** Note as fresh hast nodes. */
  noteHast(item: CiteItem): ElementContent[]
  /** Note text for a whole citation (`[@a; @b]` → one note for both cites). */
  cluster(items: CiteItem[]): Formatted
  /** Citation note as fresh hast nodes. */
  clusterHast(items: CiteItem[]): ElementContent[]
  /** `ids` in the style's bibliography order (unknown ids last, as given). */
  order(ids: Iterable<string>): string[]
  /** How often citeproc ran so far: bibliography runs and rendered clusters (for tests and benchmarks). */
  readonly runs: {readonly bibliography: number; readonly clusters: number}
  /** Notes another formatter of the same book, style and locale formatted: they are not formatted again. */
  addNotes(notes: Iterable<[string, FormattedNote]>): void
  /** The bibliography this formatter made (entries in the style's order), if it made it: to hand to another formatter. */
  takeBibliography(): Array<[string, FormattedNote]> | undefined
  /** The bibliography another formatter of the same book, style and locale made: it is not made again. */
  addBibliography(entries: Array<[string, FormattedNote]>): void
  /** Every note this formatter has, formatted or added, to keep for a later build (see ./build.ts). */
  allNotes(): Array<[string, FormattedNote]>
  /** What it learnt of the style's forms of notes (see `NoteForms`), to hand to another formatter of the same book, style and locale. */
  noteForms(): NoteForms
  /** Forms another formatter of the same book, style and locale learnt: a new page number in a known form is filled in without citeproc. */
  addNoteForms(forms: NoteForms): void
}

/**
 * What a formatter learnt of the style's notes, as data: each shape of note
 * with placeholder page numbers, and whether filling them in gives
 * citeproc's own output; each form of joined note, and whether joining gives
 * citeproc's own.
 */
export interface NoteForms {
  shapes: Array<[string, Shape]>
  forms: Array<[string, boolean]>
}

/** A formatted note as a formatter keeps it. */
export interface FormattedNote {
  formatted: Formatted
  nodes: ElementContent[]
}

/** A note's form with placeholder page numbers, and whether filling them in gives citeproc's own output. */
export interface Shape {
  html: string
  ok: boolean
}
