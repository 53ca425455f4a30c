/**
 * Links across the two books: headings carry the same ids on the web page
 * and in the EPUB document; links to chapters, headings, steps and claims
 * resolve in both; a link that leads nowhere is plain text in both (no
 * `<a>`), and a remote image is a link to it, so the book still builds and
 * epubcheck finds nothing wrong.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import JSZip from 'jszip'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {epubcheck} from './helpers/epubcheck.js'
import {bookForCase, root} from './helpers/fixture-book.js'

const run = promisify(execFile)

describe('links in both books', () => {
  let work = ''
  let web = ''
  let xhtml = ''
  let epubPath = ''

  beforeAll(async () => {
    // The catalogue's book with good and dangling links, plus every other kind of dangling link.
    const book = await bookForCase(path.join(root, 'tests/fixtures/messages/missing-anchor'))
    work = path.dirname(book)
    await fs.appendFile(
      path.join(book, '02-second.md'),
      '\nAlso [a ghost](03-ghost.md), [a file](figures/bars.svg), [a script](javascript:alert(1)) and [a reference][ghost].\n\n[ghost]: 09-none.md\n\nBack to [the first](01-first.md#the-raid), [its slug](first.md#the-raid), [a missing slug](ghost.md) and [the web](https://example.org/a%20b).\n\n' +
        // Remote images, as books written for GitHub have (badges): warnings, shown as links or as their alt text.
        'Badges: ![Build passing](https://img.shields.io/badge/build-passing-green.svg) ![](https://example.org/no-alt.png) ![A data image](data:image/png;base64,iVBORw0KGgo=) ![Scripted](javascript:alert(2)) [![CI status](https://img.shields.io/ci.svg)](https://ci.example.org/)\n'
    )
    const {stderr} = await run(
      process.execPath,
      [path.join(root, 'bin/twofold.js'), 'build', 'book', '--out', 'dist'],
      {cwd: work, env: {...process.env, NO_COLOR: '1'}}
    )
    expect(stderr).toContain('missing-anchor')
    expect(stderr.match(/remote-image/g)).toHaveLength(5)
    web =
      (await fs.readFile(path.join(work, 'dist/web/first.html'), 'utf8')) +
      (await fs.readFile(path.join(work, 'dist/web/second.html'), 'utf8'))
    epubPath = path.join(work, 'dist/test-book.epub')
    const zip = await JSZip.loadAsync(await fs.readFile(epubPath))
    xhtml =
      (await zip.file('OEBPS/first.xhtml')!.async('string')) + (await zip.file('OEBPS/second.xhtml')!.async('string'))
  }, 120_000)

  afterAll(async () => {
    if (work) await fs.rm(work, {recursive: true, force: true})
  })

  it('gives headings the same GitHub-style ids in both books, never one the pages use themselves', () => {
    // Two `## Notes` headings: `notes` is the id of the notes section, so they are `notes-1` and `notes-2`.
    expect(web.split('</html>')[0].match(/id="notes"/g)).toHaveLength(1)
    for (const id of ['the-raid', 'notes-1', 'notes-2', 'the-end']) {
      expect(web).toMatch(new RegExp(`<h\\d id="${id}">`))
      expect(xhtml).toMatch(new RegExp(`<h\\d id="${id}">`))
    }
  })

  it('resolves links to headings, steps, claims and chapters in both books', () => {
    for (const [href, target] of [
      ['#the-raid', '#the-raid'],
      ['#notes-1', '#notes-1'],
      ['#tunnels', '#tunnels'],
      ['#how-many', '#how-many']
    ]) {
      expect(web).toContain(`href="${href}"`)
      expect(xhtml).toContain(`href="${target}"`)
    }
    expect(web).toContain('href="second.html#the-end"')
    expect(xhtml).toContain('href="second.xhtml#the-end"')
    expect(web).toContain('href="first.html#the-raid"')
    expect(xhtml).toContain('href="first.xhtml#the-raid"')
    // A chapter by its slug alone (`first.md` for `01-first.md`), as books written for other tools link their files.
    expect(web).toContain('<a href="first.html#the-raid">its slug</a>')
    expect(xhtml).toContain('<a href="first.xhtml#the-raid">its slug</a>')
    expect(web).toContain('href="https://example.org/a%20b"')
  })

  it('renders links that lead nowhere as their text, without <a>, in both books', () => {
    for (const output of [web, xhtml]) {
      for (const text of [
        'the raid, misspelt',
        'an anchor that is not there',
        'a chapter without headings',
        'a ghost',
        'a file',
        'a script',
        'a reference',
        'a missing slug'
      ]) {
        expect(output).toContain(text)
        expect(output).not.toMatch(new RegExp(`<a [^>]*>${text}</a>`))
      }
      for (const href of [
        '#the-riad',
        '#the-ende',
        '#nothing-here',
        '03-ghost',
        'figures/bars.svg',
        'javascript:',
        '09-none',
        'ghost.md'
      ])
        expect(output).not.toContain(`href="${href}`)
    }
  })

  it('shows a remote image as a link to it in both books, or as its alt text when it is not a web address', () => {
    for (const book of [web, xhtml]) {
      expect(book).toContain('<a href="https://img.shields.io/badge/build-passing-green.svg">Build passing</a>')
      expect(book).toContain('<a href="https://example.org/no-alt.png">https://example.org/no-alt.png</a>')
      expect(book).toContain('A data image')
      expect(book).toContain('Scripted')
      expect(book).not.toMatch(/<img[^>]+src="(?:https?|data|javascript):/)
      expect(book).not.toMatch(/href="(?:data|javascript):/)
      // A badge that links somewhere is that link, with the image's alt text: never a link in a link.
      expect(book).toContain('<a href="https://ci.example.org/">CI status</a>')
      expect(book).not.toMatch(/<a [^>]*>[^<]*<a /)
    }
  })

  it('keeps the EPUB valid: epubcheck finds no error and no warning', async () => {
    const messages = await epubcheck(epubPath)
    const problems = messages.filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')
    expect(problems.map((m) => `${m.severity} ${m.ID} ${m.message} ${JSON.stringify(m.locations[0] ?? {})}`)).toEqual(
      []
    )
  }, 120_000)
})
