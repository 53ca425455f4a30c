/**
 * A `<` in an attribute value: HTML allows it raw, XML does not (epubcheck
 * RSC-016, fatal). A book whose title (the cover's alt text) and an image's
 * alt and title hold one builds an EPUB that epubcheck passes, with the `<`
 * as a character reference in the XHTML and as written on the web page.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import JSZip from 'jszip'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {type EpubcheckMessage, epubcheck} from './helpers/epubcheck.js'
import {bookForCase, root} from './helpers/fixture-book.js'

const run = promisify(execFile)

let work = ''
let web = ''
let xhtml = ''
let cover = ''
let messages: EpubcheckMessage[] = []

beforeAll(async () => {
  const book = await bookForCase(path.join(root, 'tests/fixtures/books/basic'))
  work = path.dirname(book)
  const yaml = path.join(book, 'book.yaml')
  await fs.writeFile(yaml, (await fs.readFile(yaml, 'utf8')).replace(/^title: .*$/m, 'title: "Less < More"'))
  await fs.appendFile(path.join(book, '01-first.md'), '\n![a < b](figures/bars.svg "c < d")\n')
  await run(process.execPath, [path.join(root, 'bin/twofold.js'), 'build', 'book', '--out', 'dist', '--no-cache'], {
    cwd: work,
    env: {...process.env, NO_COLOR: '1'}
  })
  web = await fs.readFile(path.join(work, 'dist/web/first.html'), 'utf8')
  const epubPath = path.join(work, 'dist/test-book.epub')
  const zip = await JSZip.loadAsync(await fs.readFile(epubPath))
  xhtml = await zip.file('OEBPS/first.xhtml')!.async('string')
  cover = await zip.file('OEBPS/cover.xhtml')!.async('string')
  messages = await epubcheck(epubPath)
}, 120_000)

afterAll(async () => {
  if (work) await fs.rm(work, {recursive: true, force: true})
})

it('encodes `<` in XHTML attribute values and epubcheck finds no error', () => {
  expect(messages.filter((message) => message.severity === 'ERROR' || message.severity === 'FATAL')).toEqual([])
  expect(xhtml).toMatch(/<img src="images\/[^"]+" alt="a &#x3C; b" \/>/)
  expect(cover).toMatch(/ alt="[^"]*Less &#x3C; More[^"]*"/)
})

it('keeps `<` as written in the web page’s attribute values', () => {
  expect(web).toMatch(/<img src="media\/[^"]+" alt="a < b" title="c < d" loading="lazy" decoding="async">/)
})
