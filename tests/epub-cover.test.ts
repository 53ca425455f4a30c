/**
 * The generated cover: a PNG of the asked size, the same bytes for the same
 * metadata, typeset in the bundled Literata (never the system's fonts), and a
 * layout that holds for long titles, long words and many authors.
 */

import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import {Resvg} from '@resvg/resvg-js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Store} from '../pipeline/output/store.js'
import {coverAlt, coverFontFiles, coverSvg, renderCoverPng} from '../pipeline/render/epub/cover.js'
import type {BookMeta} from '../pipeline/types.js'

const meta: BookMeta = {
  title: 'Four Months in the Residence',
  subtitle: 'The Lima hostage crisis of 1996–1997, retold from three sources',
  authors: ['Twofold Editorial Team'],
  language: 'en',
  description: 'A test.',
  date: '2026-11-23',
  ebook: 'lima',
  edition: '1',
  publisher: 'Twofold'
}

function pngSize(png: Uint8Array): {width: number; height: number} {
  const view = Buffer.from(png)
  expect(view.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  return {width: view.readUInt32BE(16), height: view.readUInt32BE(20)}
}

/** Each `<text>` of the cover drawn alone, with the given fonts: its box, or undefined when nothing is drawn. */
function textBoxes(svg: string, fontFiles: string[]) {
  return [...svg.matchAll(/<text [^>]*>[^<]*<\/text>/g)].map(([element]) => {
    const alone = svg.replace(/<rect[^>]*\/>|<text [^>]*>[^<]*<\/text>/g, '').replace('</svg>', `${element}</svg>`)
    const box = new Resvg(alone, {
      font: {loadSystemFonts: false, fontFiles}
    }).getBBox()
    return {
      element,
      box: box ? {x: box.x, y: box.y, width: box.width, height: box.height} : undefined
    }
  })
}

// Covers are drawn here, not read from those earlier builds kept: each test keeps its own in a new folder.
let dir: string
let folders = 0
const fresh = () => {
  const keptIn = path.join(dir, `kept-${folders++}`)
  return {keptIn, store: new Store({dir: keptIn, version: 'test'})}
}
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-cover-'))
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

describe('renderCoverPng', () => {
  it('renders a PNG of the default 1600 × 2560 and of any asked size', async () => {
    expect(pngSize(await renderCoverPng(meta, undefined, fresh()))).toEqual({
      width: 1600,
      height: 2560
    })
    expect(pngSize(await renderCoverPng(meta, {width: 1200, height: 630}, fresh()))).toEqual({width: 1200, height: 630})
  })

  it('writes a well-formed PNG: every chunk with its CRC, the image data inflating to its rows', async () => {
    const png = Buffer.from(await renderCoverPng(meta, {width: 400, height: 640}, fresh()))
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const types: string[] = []
    let data = Buffer.alloc(0)
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at)
      const type = png.toString('latin1', at + 4, at + 8)
      expect(png.readUInt32BE(at + 8 + length), type).toBe(zlib.crc32(png.subarray(at + 4, at + 8 + length)))
      if (type === 'IDAT') data = Buffer.concat([data, png.subarray(at + 8, at + 8 + length)])
      types.push(type)
      at += 12 + length
    }
    expect(types[0]).toBe('IHDR')
    expect(types.at(-1)).toBe('IEND')
    expect(zlib.inflateSync(data).length).toBe((400 * 4 + 1) * 640)
  })

  it('gives the same bytes for the same metadata, and other bytes for another title', async () => {
    const a = await renderCoverPng(meta, {width: 400, height: 640}, fresh())
    expect(Buffer.from(await renderCoverPng(meta, {width: 400, height: 640}, fresh())).equals(Buffer.from(a))).toBe(
      true
    )
    expect(
      Buffer.from(
        await renderCoverPng({...meta, title: 'Four Months in the Embassy'}, {width: 400, height: 640}, fresh())
      ).equals(Buffer.from(a))
    ).toBe(false)
  })

  it('keeps a cover it drew in the store, and reads it back instead of drawing it again, unless it is damaged', async () => {
    const sha1 = (data: Buffer) => createHash('sha1').update(data).digest()
    const first = fresh()
    const drawn = Buffer.from(await renderCoverPng(meta, {width: 300, height: 480}, first))
    await first.store.close()
    // The store's entries (its `.swept` mark aside).
    const entries = async (dir: string) => (await fs.readdir(dir)).filter((name) => !name.startsWith('.'))
    const kept = await entries(first.keptIn)
    expect(kept).toHaveLength(1)
    // The entry is the hash of its key, the SHA-1 of the PNG, then the PNG.
    const file = await fs.readFile(path.join(first.keptIn, kept[0]!))
    expect(file.subarray(52).equals(drawn)).toBe(true)
    expect(file.subarray(32, 52).equals(sha1(drawn))).toBe(true)
    // A copy of the folder with the kept cover marked: what comes back is the entry, not a new drawing.
    const second = fresh()
    await fs.mkdir(second.keptIn)
    const marked = Buffer.concat([drawn, Buffer.from('kept')])
    await fs.writeFile(path.join(second.keptIn, kept[0]!), Buffer.concat([file.subarray(0, 32), sha1(marked), marked]))
    expect(Buffer.from(await renderCoverPng(meta, {width: 300, height: 480}, second)).equals(marked)).toBe(true)
    // A damaged entry (emptied, or bytes that do not match their hash) is drawn again.
    for (const damaged of [Buffer.alloc(0), Buffer.concat([file.subarray(0, 52), marked])]) {
      const third = fresh()
      await fs.mkdir(third.keptIn)
      await fs.writeFile(path.join(third.keptIn, kept[0]!), damaged)
      expect(Buffer.from(await renderCoverPng(meta, {width: 300, height: 480}, third)).equals(drawn)).toBe(true)
    }
    // Another title is another entry.
    await renderCoverPng({...meta, title: 'Another Title'}, {width: 300, height: 480}, second)
    await second.store.close()
    expect(await entries(second.keptIn)).toHaveLength(2)
  })

  it('draws its text with the bundled fonts, not the system’s', () => {
    const svg = coverSvg(meta)
    expect(svg).toContain('font-family="Literata"')
    expect(coverFontFiles.length).toBeGreaterThan(0)
    // Without fonts resvg draws no text; with the bundled files alone it draws every line.
    for (const {element, box} of textBoxes(svg, [])) expect(box, element).toBeUndefined()
    for (const {element, box} of textBoxes(svg, coverFontFiles)) expect(box?.width, element).toBeGreaterThan(0)
  })

  it('keeps long titles, long words and many authors inside the page', () => {
    const cases: BookMeta[] = [
      meta,
      {
        ...meta,
        title:
          'A Very Long Title That Goes On and On About the Many Things That Happened in the Residence Over Four Long Months'
      },
      {
        ...meta,
        title: 'Pneumonoultramicroscopicsilicovolcanoconiosis',
        subtitle: undefined
      },
      {
        ...meta,
        authors: ['Maria da Conceição Tavares', 'José Ortega y Gasset', 'Ng', 'Ana Lúcia Ferreira-Ramos']
      },
      {
        ...meta,
        title: 'X',
        subtitle: undefined,
        publisher: undefined,
        authors: ['A']
      }
    ]
    for (const book of cases) {
      for (const size of [
        {width: 1600, height: 2560},
        {width: 1200, height: 630}
      ]) {
        const boxes = textBoxes(coverSvg(book, size), coverFontFiles)
        expect(boxes.length).toBeGreaterThanOrEqual(2)
        for (const {element, box} of boxes) {
          expect(box, element).toBeDefined()
          expect(box!.x, element).toBeGreaterThanOrEqual(0)
          expect(box!.y, element).toBeGreaterThanOrEqual(0)
          expect(box!.x + box!.width, element).toBeLessThanOrEqual(size.width)
          expect(box!.y + box!.height, element).toBeLessThanOrEqual(size.height)
        }
        // No two lines overlap.
        const sorted = boxes.map((b) => b.box!).sort((a, b) => a.y - b.y)
        for (let i = 1; i < sorted.length; i++)
          expect(sorted[i]!.y).toBeGreaterThanOrEqual(sorted[i - 1]!.y + sorted[i - 1]!.height - 1)
      }
    }
  })
})

describe('coverAlt', () => {
  it('says what the cover shows', () => {
    expect(coverAlt(meta)).toBe(
      'Cover: Four Months in the Residence. The Lima hostage crisis of 1996–1997, retold from three sources. By Twofold Editorial Team. Twofold.'
    )
    expect(
      coverAlt({
        ...meta,
        title: 'Why?',
        subtitle: undefined,
        publisher: undefined,
        authors: ['Ada', 'Ben', 'Cy']
      })
    ).toBe('Cover: Why? By Ada, Ben, and Cy.')
  })
})
