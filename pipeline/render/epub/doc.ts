/**
 * One content document handed to the packer. `body` is finished XHTML; the
 * packer's own `content` (HTML it would sanitise, turning empty alt text into
 * "image-placeholder") is always handed over empty.
 */
export interface Doc {
  id: string
  title: string
  filename: string
  content: string
  body: string
  /** `epub:type` of the `<body>`: `frontmatter`, `bodymatter` or `backmatter`. */
  bodyType: string
  /** In the spine before the contents page (cover, title page). */
  beforeToc: boolean
  excludeFromToc: boolean
  properties?: string
  /**
   * Landmark in the nav. Default: none in the front matter, `bodymatter` for
   * the first chapter, and for back matter the `epub:type` of its first
   * section (`endnotes`, `bibliography`, …).
   */
  landmark?: {type: string; title: string}
}
