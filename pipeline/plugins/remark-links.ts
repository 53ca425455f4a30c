/**
 * remark plugin: the chapter's links and anchors. Format-neutral.
 *
 * - Gives every heading an id (GitHub-style slug of its text, unique in the
 *   chapter, never the id of a step, scrolly section or claim, nor one the
 *   targets use themselves) on `node.data.hProperties.id`, so the web page
 *   and the EPUB document carry the same anchors.
 * - Turns reference-style links and images (`[text][ref]`, `![alt][ref]`) into
 *   plain links and images to their definitions' URLs, so that both targets
 *   resolve them through their own link and image rules.
 * - Percent-encodes characters that are not allowed in URLs (as CommonMark
 *   renderers do), and records every link on `file.data.links` and every
 *   anchor on `file.data.anchors`.
 *
 * Whether a link's target exists is a question about the whole book:
 * `checkLinks` answers it once every chapter is parsed, and marks the links
 * that lead nowhere `data.dangling` (the targets render those as plain text).
 *
 * Messages (source `remark-links`): the error `duplicate-id` (a step,
 * section or claim id used twice in a chapter, or one the pages use for
 * their own elements, such as `main`); and from `checkLinks`, warnings:
 * `missing-link-target`, `missing-anchor`, `local-link`, `unsafe-link`.
 */
import fs from 'node:fs'
import path from 'node:path'
import {domainToASCII} from 'node:url'
import GithubSlugger from 'github-slugger'
import type {Definition, Image, Link, Nodes, Root} from 'mdast'
import {normalizeUri} from 'micromark-util-sanitize-uri'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {error, warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

const source = 'remark-links'

/** A link as the plugin found it, for the book-level check. */
export interface LinkRecord {
  node: Link
  /** The URL as the author wrote it (before percent-encoding), for messages. */
  written: string
  /** What kind of target: an anchor in this chapter, another file of the book, or a URL with a scheme. */
  kind: 'anchor' | 'local' | 'remote'
  /** Local path as written, percent-decoded (for `local`). */
  path: string
  /** Fragment without `#`, percent-decoded; undefined when there is none. */
  fragment: string | undefined
}

declare module 'vfile' {
  interface DataMap {
    /** Links of this chapter, in reading order (set by remark-links). */
    links: LinkRecord[]
    /** Ids a link can target in this chapter: headings, steps, scrolly sections, claims (set by remark-links). */
    anchors: string[]
  }
}

declare module 'mdast' {
  interface LinkData {
    /** The link leads nowhere (see `checkLinks`): render its text without a link. */
    dangling?: boolean | undefined
  }
  interface ImageData {
    /** The image is inside a link: a remote image shows as its alt text there, not as a link of its own. */
    inLink?: boolean | undefined
  }
}

const unsafeSchemes = new Set(['javascript', 'vbscript', 'data', 'file', 'blob'])

/** Give headings ids, resolve reference links, and record links and anchors. */
export function remarkLinks() {
  return (tree: Root, file: VFile) => {
    const slug = String(file.data.slug ?? 'chapter')
    const definitions = new Map<string, Definition>()
    visit(tree, (node) => {
      // The first definition of a label wins (CommonMark).
      if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node)
      return blocksOnly(node)
    })

    // Ids of the targets' own elements: the page's `main`, the chapter title, note links, tooltips and notes
    // (`cite-3`, `cite-3-2` for the second of a run sharing note 3, `cite-3-tip`, `note-3`, `notes`), footnotes
    // (`fn-2`, `fnref-2`, `fnref-2-3`, `fnref-2-tip`, `footnotes-title`), graphics' titles.
    const own = (id: string) =>
      id === 'main' ||
      id === `title-${slug}` ||
      id === 'notes' ||
      id === 'footnotes-title' ||
      /^(?:cite|note)-\d+(?:-\d+)?(?:-tip)?$/.test(id) ||
      /^(?:fn-\d+|fnref-\d+(?:-\d+)?(?:-tip)?)$/.test(id) ||
      /-svg-(?:title|desc)$/.test(id) ||
      id.startsWith('user-content-')
    // Ids the author gave (steps, scrolly sections, claims, and `{#id}` on headings, divs, callouts, figures,
    // tables, code, images, links and equations, `<a id>` in kept HTML): two elements of a page must not share one.
    const taken = new Map<string, Nodes>()
    visit(tree, (node, _, parent) => {
      const id = givenId(node)
      if (id === undefined) return
      const before = taken.get(id)
      // Kept HTML has no place of its own: its paragraph's.
      const place = node.position || !parent ? node : parent
      if (own(id)) {
        error(
          file,
          `Unexpected id \`${id}\`, which the pages use for their own elements, expected another id`,
          place,
          'duplicate-id',
          source
        )
      } else if (before && !(before.type === 'scrollyStep' && node.type === 'scrollyStep')) {
        // (Two steps with one id are remark-scrolly's `invalid-step-id`.)
        const line = before.position ? ` (also on line ${before.position.start.line})` : ''
        error(
          file,
          `Unexpected duplicate id \`${id}\`${line}, expected every element of a chapter that has an id to have its own`,
          place,
          'duplicate-id',
          source
        )
      }
      if (!before) taken.set(id, node)
    })
    // A contested claim's accounts (`how-many-accounts`).
    const claimParts = new Set(
      [...taken.values()].filter((node) => node.type === 'contestedClaim').map((node) => `${node.id}-accounts`)
    )
    const reserved = (id: string) => taken.has(id) || claimParts.has(id) || own(id)

    const slugger = new GithubSlugger()
    const anchors = new Set(taken.keys())
    const links: LinkRecord[] = []

    visit(tree, (node, index, parent) => {
      if (node.type === 'heading') {
        const text = plainText(node)
        // An id the author gave (`{#id}`, remark-pandoc-attributes) is kept as written.
        const given = node.data?.hProperties?.id
        let id = typeof given === 'string' ? given : slugger.slug(text)
        while (id && reserved(id) && typeof given !== 'string') id = slugger.slug(text)
        if (id) {
          node.data ??= {}
          node.data.hProperties = {...node.data.hProperties, id}
          anchors.add(id)
        }
        return
      }
      // Ids the author gave with Pandoc attributes, on divs, code, images, links and math, or in raw HTML (`<a id>`).
      const given =
        node.type === 'fencedDiv' || node.type === 'callout' || node.type === 'implicitFigure'
          ? node.id
          : node.type === 'htmlElement'
            ? node.properties.id
            : node.data?.hProperties?.id
      if (typeof given === 'string') anchors.add(given)
      if ((node.type === 'linkReference' || node.type === 'imageReference') && parent && index !== undefined) {
        const definition = definitions.get(node.identifier)
        if (!definition) return
        const replacement: Link | Image =
          node.type === 'linkReference'
            ? {
                type: 'link',
                url: definition.url,
                title: definition.title ?? null,
                children: node.children,
                position: node.position
              }
            : {
                type: 'image',
                url: definition.url,
                title: definition.title ?? null,
                alt: node.alt ?? '',
                position: node.position
              }
        if (node.data) replacement.data = node.data
        parent.children[index] = replacement as never
        // Visit the new node (a link's children may hold more links).
        return [SKIP, index]
      }
      if (node.type === 'link' || node.type === 'linkReference') {
        visit(node, (child) => {
          if (child.type !== 'image' && child.type !== 'imageReference') return
          child.data ??= {}
          ;(child.data as {inLink?: boolean}).inLink = true
        })
      }
      if (node.type === 'link') {
        const written = node.url
        node.url = normalizeUrl(node.url)
        links.push(classify(node, written))
      }
      return undefined
    })
    file.data.links = links
    file.data.anchors = [...anchors]
  }
}

/** The id the author gave a node, if any. */
function givenId(node: Nodes): string | undefined {
  if (node.type === 'scrollySection' || node.type === 'scrollyStep' || node.type === 'contestedClaim') return node.id
  if (node.type === 'fencedDiv' || node.type === 'callout' || node.type === 'implicitFigure')
    return node.id || undefined
  if (node.type === 'htmlElement') {
    const id = node.properties.id
    return typeof id === 'string' && id ? id : undefined
  }
  const id = node.data?.hProperties?.id
  return typeof id === 'string' && id ? id : undefined
}

/** A chapter as `checkLinks` needs it. */
export interface LinkedChapter {
  file: VFile
}

/**
 * Check every link of the book once all chapters are parsed: links to
 * chapters (`02-x.md`, `02-x.md#anchor`), to anchors in the same chapter
 * (`#anchor`), to other local files and to unsafe URLs. Links that lead
 * nowhere get a warning at their place and `data.dangling = true`; the others
 * lose any earlier flag (trees are reused across builds) and links to
 * chapters are rewritten to the canonical `02-x.md#anchor` form the targets
 * resolve.
 */
export function checkLinks(chapters: LinkedChapter[], bookDir: string): void {
  const checker = new LinkChecker(
    chapters.map((chapter) => chapter.file),
    bookDir
  )
  for (const chapter of chapters) checker.check(chapter.file)
}

/** The chapters of a book by path and by slug, and their anchors: what checking a chapter's links looks up. */
class LinkChecker {
  private byPath = new Map<string, VFile>()
  /** A chapter by its slug too (`the-party.md` for `03-the-party.md`): how books written for other tools link their files. */
  private bySlug = new Map<string, VFile>()
  private names: string[]
  private anchorSets = new Map<VFile, Set<string>>()

  constructor(
    files: VFile[],
    private bookDir: string
  ) {
    for (const file of files) {
      this.byPath.set(path.resolve(file.cwd, file.path), file)
      if (file.data.slug) this.bySlug.set(`${file.data.slug}.md`, file)
    }
    this.names = files.map((file) => path.basename(file.path))
  }

  /** Check the links of one parsed chapter (see `checkLinks`). */
  check(file: VFile): void {
    for (const record of file.data.links ?? []) {
      const {node} = record
      const dangling = (reason: string, ruleId: string) => {
        warn(file, `${reason}; the link is shown as plain text`, node, ruleId, source)
        node.data ??= {}
        node.data.dangling = true
      }
      if (node.data) delete node.data.dangling

      if (record.kind === 'remote') {
        const scheme = /^([a-z][a-z\d+.-]*):/i.exec(node.url)?.[1]?.toLowerCase()
        if (scheme && unsafeSchemes.has(scheme)) {
          dangling(
            `Unexpected \`${scheme}:\` link \`${excerpt(record.written)}\`, expected a web address, a chapter file or an anchor`,
            'unsafe-link'
          )
        }
        continue
      }

      if (record.kind === 'anchor') {
        if (record.fragment && !this.anchorsOf(file).has(record.fragment)) {
          dangling(
            `Missing anchor \`#${record.fragment}\` in this chapter, expected ${anchorHint(record.fragment, file)}`,
            'missing-anchor'
          )
        }
        continue
      }

      const target = this.target(record, file)
      if (target) {
        const name = path.basename(target.path)
        const fragment = /#.*$/.exec(node.url)?.[0] ?? ''
        // The canonical form names the chapter by its slug: unique, where file names in subfolders may not be.
        node.url = `${target.data.slug ?? name.replace(/\.[^.]+$/, '')}.md${fragment}`
        if (record.fragment && !this.anchorsOf(target).has(record.fragment)) {
          dangling(
            `Missing anchor \`#${record.fragment}\` in \`${name}\`, expected ${anchorHint(record.fragment, target)}`,
            'missing-anchor'
          )
        }
        continue
      }
      const absolute = path.resolve(chapterFolder(file, this.bookDir), record.path)
      let exists = false
      try {
        exists = fs.statSync(absolute).isFile()
      } catch {}
      if (exists) {
        dangling(
          `Unexpected link to \`${excerpt(record.path)}\`, a file that is not a chapter, expected a chapter file (\`${this.names[0] ?? '01-name.md'}\`), an anchor (\`#id\`) or a web address`,
          'local-link'
        )
      } else {
        const closest = closestName(path.basename(record.path), this.names)
        dangling(
          `Missing link target \`${excerpt(record.path)}\`, expected ${closest ? `a chapter file such as \`${closest}\`` : 'a chapter file (`02-name.md`), an anchor (`#id`) or a web address (`https://…`)'}`,
          'missing-link-target'
        )
      }
    }
  }

  /**
   * The chapter a local link of `file` leads to, by its path from the chapter's folder, or (in the book's folder)
   * its slug; a link to a page those tools make (`intro.html`) leads to the chapter it is made from.
   */
  private target(record: LinkRecord, file: VFile): VFile | undefined {
    for (const candidate of [record.path, ...sourcesOfPage(record.path)]) {
      const found = this.lookup(candidate, file)
      if (found) return found
    }
    return undefined
  }

  private lookup(linkPath: string, file: VFile): VFile | undefined {
    const absolute = path.resolve(chapterFolder(file, this.bookDir), linkPath)
    return (
      this.byPath.get(absolute) ??
      this.byPath.get(path.resolve(this.bookDir, linkPath)) ??
      (path.dirname(absolute) === path.resolve(this.bookDir) ? this.bySlug.get(path.basename(absolute)) : undefined)
    )
  }

  private anchorsOf(file: VFile): Set<string> {
    let set = this.anchorSets.get(file)
    if (!set) this.anchorSets.set(file, (set = new Set(file.data.anchors ?? [])))
    return set
  }
}

/**
 * The chapter files a link to a web page may mean, as mdBook and Quarto books link their chapters by the pages they
 * make of them: `guide/intro.html` is made from `guide/intro.md` (`.qmd`, `.Rmd`), and mdBook makes `index.html` of a
 * folder's `README.md`. None for a link that is not to an `.html` page.
 */
function sourcesOfPage(linkPath: string): string[] {
  const page = /^(.*?)([^/]+)\.html?$/i.exec(linkPath)
  if (!page) return []
  const [, folder, name] = page
  const sources = ['.md', '.qmd', '.Rmd', '.markdown'].map((extension) => `${folder}${name}${extension}`)
  if (name === 'index') sources.push(`${folder}README.md`)
  return sources
}

/**
 * The folder a chapter's links and images are relative to: its own (mdBook, Quarto and Bookdown books keep
 * chapters in subfolders), the book's folder for a file outside it.
 */
export function chapterFolder(file: VFile, bookDir: string): string {
  const folder = path.dirname(path.resolve(file.cwd, file.path))
  const book = path.resolve(bookDir)
  return folder === book || folder.startsWith(book + path.sep) ? folder : book
}

/** Each chapter's slug by its file name (`03-the-party.md` → `the-party`) and by `<slug>.md` (what `checkLinks` writes), for `chapterHref`. */
export function slugsByFileName(chapters: Array<{file: VFile; slug: string}>): Map<string, string> {
  return new Map([
    ...chapters.map((chapter) => [path.basename(chapter.file.path), chapter.slug] as const),
    ...chapters.map((chapter) => [`${chapter.slug}.md`, chapter.slug] as const)
  ])
}

/**
 * Where a target puts a link to a chapter, written as `checkLinks` leaves it (`02-x.md`, `02-x.md#anchor`): the
 * chapter's slug with the target's `extension` (`.html`, `.xhtml`) and the anchor; `undefined` for any other URL.
 */
export function chapterHref(url: string, slugs: ReadonlyMap<string, string>, extension: string): string | undefined {
  const match = /^(?:\.\/)?([^/#?]+\.md)(#.*)?$/.exec(url)
  const slug = match ? slugs.get(match[1]!) : undefined
  return slug === undefined ? undefined : `${slug}${extension}${match?.[2] ?? ''}`
}

function classify(node: Link, written: string): LinkRecord {
  const url = node.url
  if (url === '' || /^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) {
    return {node, written, kind: 'remote', path: '', fragment: undefined}
  }
  const hash = url.indexOf('#')
  const fragment = hash < 0 ? undefined : decode(url.slice(hash + 1))
  const local = (hash < 0 ? url : url.slice(0, hash)).replace(/\?.*$/, '')
  if (local === '') return {node, written, kind: 'anchor', path: '', fragment}
  return {node, written, kind: 'local', path: decode(local), fragment}
}

/** Text of a node for its slug: citations and raw HTML do not count. */
function plainText(node: Nodes): string {
  if (node.type === 'citation' || node.type === 'html') return ''
  if ('value' in node && typeof node.value === 'string') return node.value
  if (node.type === 'image') return node.alt ?? ''
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('')
  return ''
}

/**
 * Percent-encode what is not allowed in a URL, keeping existing escapes, with
 * `micromark-util-sanitize-uri`'s `normalizeUri`, as CommonMark output does.
 * A host name written in another script (`http://例え.jp`) is given in its
 * ASCII form (`xn--r8jz45g.jp`), as browsers send it: percent-escapes are
 * no host name, and EPUB reading systems may not read them as one.
 */
export function normalizeUrl(url: string): string {
  const authority = /^([a-z][a-z\d+.-]*:\/\/(?:[^/?#@]*@)?)([^/?#:]*)/i.exec(url)
  if (authority?.[2] && /[^\x00-\x7f]/.test(authority[2])) {
    const host = domainToASCII(authority[2])
    if (host) url = authority[1] + host + url.slice(authority[0].length)
  }
  // A `%` that begins no escape is encoded (normalizeUri keeps `%` before any two letters or digits).
  return normalizeUri(url.replace(/%(?![\da-fA-F]{2})/g, '%25'))
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

function anchorHint(fragment: string, file: VFile): string {
  const anchors = file.data.anchors ?? []
  const closest = closestName(fragment, anchors)
  if (closest) return `the id of a heading, step or claim there (did you mean \`#${closest}\`?)`
  return anchors.length > 0
    ? 'the id of a heading, step or claim there'
    : 'the id of a heading, step or claim, and there are none'
}

/** The closest of `names` to `name` (case-insensitive edit distance), when it is close enough to suggest. */
function closestName(name: string, names: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  const a = name.toLowerCase()
  for (const candidate of names) {
    const distance = editDistance(a, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(a.length / 3)) ? best : undefined
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 10) return Math.abs(a.length - b.length)
  let previous = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}

function excerpt(value: string): string {
  return value.length > 60 ? `${value.slice(0, 59)}…` : value
}
