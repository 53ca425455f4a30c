/**
 * Random chapters (tests/fixtures/fuzz/arbitraries.ts) through the whole
 * pipeline, with a fixed seed and a modest count so the suite stays fast
 * (`npm run fuzz` runs thousands): no exception, no run slower than the
 * limit, every web page clean HTML, every EPUB document well-formed XML, no
 * id twice on a page, every message placed; and a book of random chapters
 * through epubcheck with no error.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {chapter} from './fixtures/fuzz/arbitraries.js'
import {checkBook, checkChapter} from './fixtures/fuzz/check.js'
import {epubcheck} from './helpers/epubcheck.js'

const seed = 20_261_123
const runs = 50

describe('fuzzed chapters', () => {
  it(`${runs} random chapters (seed ${seed}) build or fail cleanly, and what builds is well-formed`, async () => {
    let built = 0
    await fc.assert(
      fc.asyncProperty(chapter, async (text) => {
        const outcome = await checkChapter(text, {limitMs: 15_000})
        if (outcome.built) built++
        expect(outcome.problems).toEqual([])
      }),
      {seed, numRuns: runs}
    )
    // The generator must produce books that build, or the output checks check nothing.
    expect(built).toBeGreaterThanOrEqual(runs * 0.2)
  }, 300_000)

  it('a random book of three chapters passes epubcheck with no error', async () => {
    // epubcheck takes seconds to start: one book holds three random chapters that each build.
    const chapters: string[] = []
    for (const text of fc.sample(chapter, {seed: seed + 1, numRuns: 60})) {
      const outcome = await checkChapter(text)
      expect(outcome.problems).toEqual([])
      if (outcome.built) chapters.push(text)
      if (chapters.length === 3) break
    }
    expect(chapters).toHaveLength(3)
    const outcome = await checkBook(chapters)
    expect(outcome.problems).toEqual([])
    expect(outcome.built).toBe(true)
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-fuzz-epub-'))
    const file = path.join(dir, 'random.epub')
    await fs.writeFile(file, outcome.epub!)
    const messages = await epubcheck(file)
    const errors = messages.filter((m) => m.severity === 'ERROR' || m.severity === 'FATAL')
    expect(errors.map((m) => `${m.ID} ${m.message} ${JSON.stringify(m.locations[0] ?? {})}`)).toEqual([])
    await fs.rm(dir, {recursive: true, force: true})
  }, 300_000)
})

describe('chapters the fuzzer found', () => {
  // A footnote's tooltip held a copy of the note, with the ids of the citation in it: twice on the page.
  it.each([
    ['a footnote that cites', 'Text.[^1]\n\n[^1]: A footnote [@alpha].\n'],
    ['a footnote that cites, called twice', 'One.[^1] Two.[^1]\n\n[^1]: A footnote [@alpha, p. 4].\n'],
    ['a footnote with an anchor', 'Text.[^a]\n\n[^a]: See [this](https://example.org/){#here} [@alpha].\n'],
    ['a footnote called in a list', '[^1]: A footnote [@alpha].\n\n- [^1]\n- x\n']
  ])('%s: no id twice, and the tooltip holds the note', async (_, text) => {
    const outcome = await checkChapter(`---\ntitle: A Chapter\n---\n\n${text}`)
    expect(outcome.problems).toEqual([])
    expect(outcome.built).toBe(true)
    const page = outcome.pages!.get('doc.html')!
    const tip = /<span class="cite__tip" id="fnref-1-tip" role="tooltip" hidden>(.*?)<\/span>(?=<\/span>)/.exec(page)
    expect(tip?.[1]).toMatch(
      /^(?:A footnote|See <a href="https:\/\/example.org\/"[^>]*>this<\/a>)<span class="cite"><sup class="cite__mark"><a class="cite__ref" href="#note-1" role="doc-noteref" aria-label="Note 1" aria-describedby="cite-1-tip">1<\/a><\/sup><\/span>/
    )
    // The note in the list keeps its ids.
    expect(page).toMatch(/<li id="fn-1">.*id="cite-1".*id="cite-1-tip"/s)
  })

  // Notes are numbered from 1 in each chapter: on the disagreements page, tooltips of two chapters' notes met.
  it('two chapters with contested claims: no id twice on the disagreements page', async () => {
    const claim = (n: number) =>
      `---\ntitle: Claims ${n}\n---\n\nIntro [@alpha].\n\n:::contested{#claim-${n} topic="Topic ${n}"}\nAccounts differ [@beta].\n\n- one [@alpha]\n- two [@beta]\n:::\n`
    const outcome = await checkBook([claim(1), claim(3)])
    expect(outcome.problems).toEqual([])
    expect(outcome.built).toBe(true)
    expect(outcome.pages!.get('disagreements.html')).toContain('aria-describedby="doc-2-cite-3-tip"')
  })
})
