/**
 * Material nobody on the team wrote: every example of the CommonMark spec
 * (from the `commonmark-spec` package), each as a chapter of one book.
 *
 * - The real CLI builds the whole book without a crash and stops only on the
 *   images Twofold refuses by design (outside the book, missing, not an
 *   image), each reported at its place; remote images are warnings, shown as
 *   links.
 * - The book of the other examples builds, and its EPUB has no epubcheck
 *   error (Pandoc's EPUB of the same examples has 85). About 25 s on an idle
 *   machine; `TWOFOLD_COMMONMARK_SAMPLE=1` checks every 4th example only.
 * - Every web page is clean HTML and every EPUB document well-formed XML.
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import JSZip from 'jszip'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {checkHtml, checkXml} from './fixtures/fuzz/check.js'
import {runCli} from './helpers/cli.js'
import {epubcheck} from './helpers/epubcheck.js'

const spec = createRequire(import.meta.url)('commonmark-spec') as {
  tests: Array<{markdown: string; number: number; section: string}>
}
const sample = Boolean(process.env.TWOFOLD_COMMONMARK_SAMPLE)
const imageRules = new Set(['image-outside-book', 'missing-image', 'image-format'])

/** Write a book with one chapter per example (`keep` picks them); returns its directory. */
async function exampleBook(dir: string, keep: (number: number) => boolean): Promise<string> {
  await fs.mkdir(dir, {recursive: true})
  await fs.writeFile(
    path.join(dir, 'book.yaml'),
    'title: CommonMark examples\nauthors: John MacFarlane\nlanguage: en\ndescription: Every example of the CommonMark spec 0.31.2, one a chapter.\ndate: 2024-01-28\nebook: commonmark-examples\n'
  )
  await fs.writeFile(path.join(dir, 'references.json'), '[]')
  for (const example of spec.tests) {
    if (!keep(example.number)) continue
    const title = `Example ${example.number} (${example.section})`
    await fs.writeFile(
      path.join(
        dir,
        `${String(example.number).padStart(3, '0')}-example.md`.replace('-example', `-example-${example.number}`)
      ),
      `---\ntitle: ${JSON.stringify(title)}\n---\n\n${example.markdown.replace(/→/g, '\t')}`
    )
  }
  return dir
}

describe('the CommonMark spec examples', () => {
  let work = ''
  /** Examples whose chapter has an error (the refused images). */
  const refused = new Set<number>()

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-commonmark-'))
  })
  afterAll(async () => {
    if (work) await fs.rm(work, {recursive: true, force: true})
  })

  it(`builds all ${spec.tests.length} examples without a crash, stopping only on refused images`, async () => {
    await exampleBook(path.join(work, 'all'), () => true)
    const result = await runCli(['build', 'all', '--out', 'all-out'], work, {
      SOURCE_DATE_EPOCH: '1706400000'
    })
    expect(result.stderr).not.toMatch(/^\s+at /m)
    expect(result.code).toBe(1)
    const errors = result.stderr.split('\n').filter((line) => /^\S+:\d+:\d+ {2}error {2}/.test(line))
    expect(errors.length).toBeGreaterThan(0)
    for (const line of errors) {
      const rule = line.split('  ').at(-2) ?? ''
      expect(imageRules.has(rule), line).toBe(true)
      refused.add(Number(/all\/(\d+)-example/.exec(line)?.[1]))
    }
    process.stdout.write(
      `CommonMark examples: ${spec.tests.length} chapters, ${errors.length} refused images in ${refused.size} examples, no crash\n`
    )
  }, 300_000)

  it('builds the other examples into a web story of clean HTML and an EPUB that epubcheck passes', async () => {
    const keep = (n: number) => !refused.has(n) && (!sample || n % 4 === 1)
    await exampleBook(path.join(work, 'clean'), keep)
    const result = await runCli(['build', 'clean', '--out', 'clean-out'], work, {SOURCE_DATE_EPOCH: '1706400000'})
    expect(result.stderr).not.toMatch(/^\s+at /m)
    expect(result.code, result.stderr).toBe(0)
    const out = path.join(work, 'clean-out')

    const problems: string[] = []
    for (const name of await fs.readdir(path.join(out, 'web'))) {
      if (name.endsWith('.html'))
        problems.push(...checkHtml(name, await fs.readFile(path.join(out, 'web', name), 'utf8')))
    }
    const epubPath = path.join(out, 'commonmark-examples.epub')
    const zip = await JSZip.loadAsync(await fs.readFile(epubPath))
    for (const name of Object.keys(zip.files)) {
      if (/\.(?:xhtml|opf|ncx)$/.test(name)) problems.push(...checkXml(name, await zip.file(name)!.async('string')))
    }
    expect(problems).toEqual([])

    const messages = await epubcheck(epubPath)
    const errors = messages.filter((m) => m.severity === 'ERROR' || m.severity === 'FATAL')
    const chapters = spec.tests.filter((t) => keep(t.number)).length
    process.stdout.write(
      `CommonMark examples: EPUB of ${chapters} examples: ${errors.length} epubcheck errors, ${messages.filter((m) => m.severity === 'WARNING').length} warnings (${[...new Set(messages.filter((m) => m.severity === 'WARNING').map((m) => m.ID))].join(', ') || 'none'})\n`
    )
    expect(errors.map((m) => `${m.ID} ${m.message} ${JSON.stringify(m.locations[0] ?? {})}`)).toEqual([])
  }, 600_000)
})
