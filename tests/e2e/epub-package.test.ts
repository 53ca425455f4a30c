/**
 * The EPUBs' package as a reading system sees it: the ZIP's first bytes,
 * the metadata (EPUB Accessibility 1.1, one creator per author, no empty
 * Dublin Core element), the cover, the reading order and its landmarks, and
 * the text alternative of every image.
 */
import {execFile} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {beforeAll, describe, expect, inject, it} from 'vitest'
import YAML from 'yaml'
import {uuidV5} from '../../pipeline/render/epub/index.js'
import {type Epub, elements, openEpub, text} from '../helpers/epub-package.js'
import {root} from '../helpers/fixture-book.js'

const run = promisify(execFile)
const builds = inject('builds')
const books = {basic: 'tests/fixtures/books/basic', story: 'chapters'} as const
/** SOURCE_DATE_EPOCH of the global setup's builds. */
const epoch = new Date(1_700_000_000 * 1000)

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(data: Buffer): {width: number; height: number} {
  expect(data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  expect(data.subarray(12, 16).toString('latin1')).toBe('IHDR')
  return {width: data.readUInt32BE(16), height: data.readUInt32BE(20)}
}

for (const name of ['basic', 'story'] as const) {
  describe(`the ${name} EPUB`, () => {
    let epub: Epub
    let meta: {
      title: string
      subtitle?: string
      authors: string | string[]
      language: string
      edition?: string
      publisher?: string
    }

    beforeAll(async () => {
      epub = await openEpub(builds[name].epub)
      meta = YAML.parse(await fs.readFile(path.join(root, books[name], 'book.yaml'), 'utf8')) as typeof meta
    })

    it('starts with an uncompressed `mimetype` entry with no extra field', () => {
      const bytes = epub.bytes
      // Local file header at offset 0: signature, method 0 (stored), name "mimetype", extra length 0, then the media type.
      expect(bytes.readUInt32LE(0)).toBe(0x04034b50)
      expect(bytes.readUInt16LE(8)).toBe(0)
      expect(bytes.readUInt16LE(26)).toBe(8)
      expect(bytes.readUInt16LE(28)).toBe(0)
      expect(bytes.subarray(30, 38).toString('latin1')).toBe('mimetype')
      expect(bytes.subarray(38, 58).toString('latin1')).toBe('application/epub+zip')
      const [first] = epub.entries
      expect(first).toMatchObject({
        name: 'mimetype',
        offset: 0,
        method: 0,
        localExtraLength: 0,
        centralExtraLength: 0
      })
    })

    it('dates every ZIP entry from SOURCE_DATE_EPOCH, in UTC', () => {
      const expected = {
        year: epoch.getUTCFullYear(),
        month: epoch.getUTCMonth() + 1,
        day: epoch.getUTCDate(),
        hours: epoch.getUTCHours(),
        minutes: epoch.getUTCMinutes(),
        seconds: epoch.getUTCSeconds() - (epoch.getUTCSeconds() % 2)
      }
      for (const entry of epub.entries) expect(entry.date, entry.name).toEqual(expected)
      expect(epub.metadata.get('dcterms:modified')).toEqual(['2023-11-14T22:13:20Z'])
    })

    it('has a stable identifier, a UUID v5 of title and edition, that the NCX repeats', () => {
      const pkg = elements(epub.opf, 'package')[0]!
      const identifiers = elements(epub.opf, 'dc:identifier')
      const unique = identifiers.find((element) => element.attributes.id === pkg.attributes['unique-identifier'])!
      const id = text(unique)
      expect(id).toBe(`urn:uuid:${uuidV5(`${meta.title}\u0000${meta.edition ?? '1'}`)}`)
      expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      const ncx = epub.manifest.find((item) => item.mediaType === 'application/x-dtbncx+xml')!
      const uid = String(epub.files.get(ncx.path)).match(/<meta name="dtb:uid" content="([^"]*)"/)?.[1]
      expect(uid).toBe(id)
    })

    it('has complete Dublin Core metadata: no empty element, one creator per author, xml:lang = dc:language', () => {
      const metadataElement = elements(epub.opf, 'metadata')[0]!
      const dc = metadataElement.children.filter((child) => child.type === 'element' && child.name.startsWith('dc:'))
      expect(dc.length).toBeGreaterThan(5)
      for (const element of dc) if (element.type === 'element') expect(text(element).trim(), element.name).not.toBe('')
      const authors = typeof meta.authors === 'string' ? [meta.authors] : meta.authors
      expect(epub.metadata.get('dc:creator')).toEqual(authors)
      expect(epub.metadata.get('dc:title')).toEqual([meta.title, ...(meta.subtitle ? [meta.subtitle] : [])])
      expect(epub.metadata.get('dc:language')).toEqual([meta.language])
      expect(elements(epub.opf, 'package')[0]!.attributes['xml:lang']).toBe(meta.language)
      for (const document of epub.documents.values()) {
        const html = elements(document, 'html')[0]!
        expect(html.attributes['xml:lang']).toBe(meta.language)
        expect(html.attributes.lang).toBe(meta.language)
      }
    })

    it('declares its accessibility (EPUB Accessibility 1.1)', () => {
      const m = (key: string) => epub.metadata.get(key) ?? []
      expect(m('schema:accessMode')).toEqual(['textual', 'visual'])
      expect(m('schema:accessModeSufficient')).toEqual(['textual'])
      expect(m('schema:accessibilityFeature').sort()).toEqual([
        'alternativeText',
        'readingOrder',
        'structuralNavigation',
        'tableOfContents'
      ])
      expect(m('schema:accessibilityHazard')).toEqual(['none'])
      expect(m('dcterms:conformsTo')).toEqual(['EPUB Accessibility 1.1 - WCAG 2.2 Level AA'])
      expect(m('a11y:certifiedBy')).toEqual([
        meta.publisher ?? (typeof meta.authors === 'string' ? meta.authors : meta.authors[0])
      ])
      const [summary = ''] = m('schema:accessibilitySummary')
      expect(m('schema:accessibilitySummary')).toHaveLength(1)
      expect(summary.length).toBeGreaterThan(150)
      expect(summary).toMatch(/text description/)
      expect(summary).not.toMatch(/undefined|NaN|\[object/)
      expect(String(elements(epub.opf, 'package')[0]!.attributes.prefix)).toContain(
        'a11y: http://www.idpf.org/epub/vocab/package/a11y/#'
      )
    })

    it('has a raster cover image, declared both ways, on a cover page first in the spine', () => {
      const covers = epub.manifest.filter((item) => item.properties.includes('cover-image'))
      expect(covers).toHaveLength(1)
      const cover = covers[0]!
      expect(cover.mediaType).toBe('image/png')
      expect(pngSize(epub.files.get(cover.path)!)).toEqual({
        width: 1600,
        height: 2560
      })
      const legacy = elements(epub.opf, 'meta').find((element) => element.attributes.name === 'cover')
      expect(legacy?.attributes.content).toBe(cover.id)

      const first = epub.spine[0]!
      const page = epub.documents.get(first.path)!
      const section = elements(page, 'section').find((element) => element.attributes['epub:type'] === 'cover')
      expect(section, 'the first spine item is the cover page').toBeDefined()
      const [img] = elements(section!, 'img')
      expect(img?.attributes.src).toBe(path.posix.relative(path.posix.dirname(first.path), cover.path))
      expect(String(img?.attributes.alt)).toContain(meta.title)
      expect(img?.attributes.role).toBe('doc-cover')
    })

    it('reads cover, title page, contents, chapters, then the back matter', () => {
      const spine = epub.spine.map((item) => item.href)
      expect(spine.slice(0, 3)).toEqual(['cover.xhtml', 'title.xhtml', epub.nav.href])
      const chapters = epub.spine.slice(3).filter((item) => {
        const body = elements(epub.documents.get(item.path)!, 'body')[0]!
        return body.attributes['epub:type'] === 'bodymatter'
      })
      expect(chapters.length).toBeGreaterThan(1)
      const kinds = epub.spine
        .slice(3)
        .map((item) => String(elements(epub.documents.get(item.path)!, 'body')[0]!.attributes['epub:type']))
      // All chapters come before all back matter.
      expect(kinds.join(' ')).toMatch(/^(bodymatter )*bodymatter( backmatter)*$/)
      expect(kinds).toContain('backmatter')

      const title = epub.documents.get(epub.spine[1]!.path)!
      expect(elements(title, 'section')[0]?.attributes['epub:type']).toBe('titlepage')
      expect(text(elements(title, 'h1')[0]!)).toBe(meta.title)
    })

    it('has a nav with the contents and landmarks in reading order', () => {
      const nav = epub.documents.get(epub.nav.path)!
      const navs = elements(nav, 'nav')
      const toc = navs.find((element) => element.attributes['epub:type'] === 'toc')!
      const landmarks = navs.find((element) => element.attributes['epub:type'] === 'landmarks')!
      const spine = epub.spine.map((item) => item.href)
      const position = (href: string) => spine.indexOf(href.replace(/#.*$/, ''))

      const tocLinks = elements(toc, 'a').map((a) => String(a.attributes.href))
      expect(tocLinks.every((href) => position(href) >= 0)).toBe(true)
      expect(tocLinks.map(position)).toEqual([...tocLinks.map(position)].sort((a, b) => a - b))
      // Every document after the front matter, each chapter's notes included (“Notes to chapter 2: …”), but the
      // continuations of a long list of sources, which follow “Sources” in reading order.
      expect(spine.filter((href) => /^notes-.*\.xhtml$/.test(href)).length).toBeGreaterThan(1)
      // A chapter's sections (`chapter.xhtml#id`) are listed under it: the documents are what the spine holds.
      const documentLinks = tocLinks.filter((href) => !href.includes('#'))
      expect(documentLinks).toEqual(spine.slice(3).filter((href) => !/^sources-\d+\.xhtml$/.test(href)))
      for (const href of tocLinks.filter((link) => link.includes('#')))
        expect(documentLinks[documentLinks.indexOf(href.replace(/#.*$/, ''))]).toBeDefined()

      const marks = elements(landmarks, 'a').map((a) => ({
        type: String(a.attributes['epub:type']),
        href: String(a.attributes.href)
      }))
      expect(marks.map((mark) => mark.type)).toEqual(expect.arrayContaining(['cover', 'toc', 'bodymatter', 'endnotes']))
      expect(marks.find((mark) => mark.type === 'cover')?.href).toBe('cover.xhtml')
      expect(marks.find((mark) => mark.type === 'bodymatter')?.href).toBe(spine[3])
      const positions = marks.map((mark) => position(mark.href))
      expect(positions.every((p) => p >= 0)).toBe(true)
      expect(positions).toEqual([...positions].sort((a, b) => a - b))
      const notes = marks.find((mark) => mark.type === 'endnotes')!
      expect(
        elements(epub.documents.get(path.posix.join(path.posix.dirname(epub.nav.path), notes.href))!, 'body')[0]!
          .attributes['epub:type']
      ).toBe('backmatter')
    })

    it('gives every image its text alternative and names images by content hash', () => {
      const images = [...epub.documents].flatMap(([file, document]) =>
        elements(document, 'img').map((img) => ({file, img}))
      )
      expect(images.length).toBeGreaterThan(1)
      for (const {file, img} of images) {
        expect(img.attributes.alt, `${file} ${String(img.attributes.src)}`).toBeDefined()
        const target = path.posix.join(path.posix.dirname(file), String(img.attributes.src))
        expect(
          epub.manifest.some((item) => item.path === target),
          target
        ).toBe(true)
      }
      for (const [file, data] of epub.files) {
        expect(data.includes('image-placeholder'), file).toBe(false)
        const match = /^OEBPS\/images\/.+-([0-9a-f]{10})\.[a-z]+$/.exec(file)
        if (file.startsWith('OEBPS/images/') && !file.endsWith('/'))
          expect(match?.[1], file).toBe(createHash('sha256').update(data).digest('hex').slice(0, 10))
      }
    })
  })
}

describe('an image with empty alt text', () => {
  it('keeps alt="" in the EPUB and never gets the packer’s "image-placeholder"', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-epub-alt-'))
    const book = path.join(dir, 'book')
    await fs.cp(path.join(root, books.basic), book, {recursive: true})
    await fs.writeFile(
      path.join(book, '03-pictures.md'),
      '---\ntitle: Pictures\n---\n\nA decorative rule:\n\n![](figures/bars.svg)\n\nAnd a described one:\n\n![Three bars in a row](figures/bars.svg)\n'
    )
    const out = path.join(dir, 'out')
    const result = await run(process.execPath, [path.join(root, 'bin/twofold.js'), 'build', book, '--out', out], {
      cwd: root,
      env: {...process.env, SOURCE_DATE_EPOCH: '1700000000'}
    })
    expect(result.stdout + result.stderr).toMatch(/missing-alt/)
    const epub = await openEpub(path.join(out, 'test-book.epub'))
    const page = [...epub.documents].find(([file]) => file.endsWith('pictures.xhtml'))![1]
    expect(elements(page, 'img').map((img) => img.attributes.alt)).toEqual(['', 'Three bars in a row'])
    for (const [file, data] of epub.files) expect(data.includes('image-placeholder'), file).toBe(false)
    await fs.rm(dir, {recursive: true, force: true})
  })
})
