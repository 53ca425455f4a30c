/**
 * A synthetic book for benchmarks and scale tests: N chapters of about 2,000
 * words with headings, emphasis, lists, citations (about one sentence in
 * three) and a scrolly section every few chapters, plus a bibliography and a
 * graphic. The same seed always gives the same book.
 *
 *   npx tsx scripts/synth-book.ts --chapters 100 --out /tmp/book [--seed 1]
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {parseArgs} from 'node:util'

/** Options of `writeSyntheticBook`. */
export interface SynthOptions {
  chapters: number
  out: string
  /** Seed of the pseudo-random generator. Default 1. */
  seed?: number
  /** Words per chapter, about. Default 2000. */
  words?: number
  /** References in the bibliography. Default 60. */
  references?: number
  /** A scrolly section every this many chapters. Default 4. */
  scrollyEvery?: number
}

const lexicon = (
  'archive record witness harbour council river ledger morning evening season market quarter letter journal ' +
  'village province border treaty garrison minister envoy convoy signal bridge station courier commission ' +
  'report measure figure account voyage crossing harvest drought flood census survey assembly petition ' +
  'the a of and in to with from for on by as at that which while after before during between across ' +
  'recorded described noted counted claimed argued reported observed listed estimated confirmed disputed ' +
  'quickly slowly later early often rarely openly quietly nearly almost perhaps certainly'
).split(' ')

/** Mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Write the book; returns its directory. */
export async function writeSyntheticBook(options: SynthOptions): Promise<string> {
  const random = prng(options.seed ?? 1)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const wordsPerChapter = options.words ?? 2000
  const referenceCount = options.references ?? 60
  const every = options.scrollyEvery ?? 4
  const keys = Array.from({length: referenceCount}, (_, i) => `ref${String(i + 1).padStart(3, '0')}`)
  const dir = path.resolve(options.out)
  await fs.rm(dir, {recursive: true, force: true})
  await fs.mkdir(path.join(dir, 'figures'), {recursive: true})

  await fs.writeFile(
    path.join(dir, 'book.yaml'),
    [
      `title: Synthetic Book of ${options.chapters} Chapters`,
      'subtitle: Generated for benchmarks',
      'authors:',
      '  - Bench Writer',
      'language: en',
      `description: A generated book of ${options.chapters} chapters with citations and scrolly sections, for measuring build speed.`,
      'date: 2026-01-01',
      'ebook: synthetic-book',
      ''
    ].join('\n')
  )
  const references = keys.map((id, i) => ({
    id,
    type: i % 3 === 0 ? 'book' : i % 3 === 1 ? 'article-journal' : 'webpage',
    title: `${capitalise(pick(lexicon))} ${pick(lexicon)} ${pick(lexicon)} ${i + 1}`,
    author: [{family: `Author${i + 1}`, given: 'Ann'}],
    issued: {'date-parts': [[1950 + (i % 70)]]},
    ...(i % 3 === 1
      ? {
          'container-title': 'Journal of Synthetic Studies',
          volume: String(1 + (i % 40)),
          page: `${i + 1}-${i + 20}`
        }
      : {}),
    language: 'en'
  }))
  await fs.writeFile(path.join(dir, 'references.json'), `${JSON.stringify(references, null, 2)}\n`)
  await fs.writeFile(
    path.join(dir, 'figures', 'bench.svg'),
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 240" role="img" font-family="system-ui, sans-serif">
  <title>Three bars</title>
  <desc data-state="one">One bar.</desc>
  <desc data-state="two">Two bars.</desc>
  <desc data-state="three">Three bars.</desc>
  <rect class="tf-bg" fill="#ffffff" width="400" height="240"/>
  <rect class="tf-accent" fill="#b3261e" x="40" y="160" width="80" height="60"/>
  <rect class="tf-accent" fill="#b3261e" x="160" y="100" width="80" height="120" data-states="two three"/>
  <rect class="tf-accent2" fill="#0b5cad" x="280" y="40" width="80" height="180" data-states="three"/>
</svg>
`
  )

  const digits = String(options.chapters).length
  let cited = 0
  for (let n = 1; n <= options.chapters; n++) {
    const out: string[] = [
      '---',
      `title: Chapter ${n} of the synthetic book`,
      `description: Generated chapter ${n}.`,
      '---',
      ''
    ]
    let words = 0
    let section = 0
    const sentence = () => {
      const length = 10 + Math.floor(random() * 14)
      const parts: string[] = []
      for (let i = 0; i < length; i++) {
        let word = pick(lexicon)
        if (random() < 0.04) word = `*${word}*`
        else if (random() < 0.02) word = `**${word}**`
        parts.push(word)
      }
      words += length
      let text = `${capitalise(parts.join(' '))}`
      if (random() < 1 / 3) {
        cited++
        const key = keys[(cited * 7 + n) % keys.length]
        const form = random()
        text +=
          form < 0.6
            ? ` [@${key}]`
            : form < 0.8
              ? ` [@${key}, p. ${1 + Math.floor(random() * 300)}]`
              : ` [see @${key}; @${keys[(cited + 3) % keys.length]}]`
      }
      return `${text}.`
    }
    const paragraph = () => Array.from({length: 3 + Math.floor(random() * 4)}, sentence).join(' ')
    while (words < wordsPerChapter) {
      if (words > 0 && random() < 0.15) out.push(`## Section ${++section}`, '')
      if (random() < 0.08) {
        for (let i = 0; i < 3; i++) out.push(`- ${sentence()}`)
        out.push('')
        continue
      }
      out.push(paragraph(), '')
      // Code and math as a technical book has them: a listing and an equation in most sections.
      if (random() < 0.12) out.push('```js', ...listing(n, section), '```', '')
      else if (random() < 0.1)
        out.push(
          `The rate $r_{${section}} = \\frac{\\Delta x}{\\Delta t}$ holds where`,
          '',
          '$$',
          `\\sum_{i=1}^{${n}} x_i^2 \\le \\int_0^1 f(t)\\,dt`,
          '$$',
          ''
        )
      if (n % every === 0 && section === 1 && !out.some((l) => l.startsWith('::::scrolly'))) {
        out.push('::::scrolly{graphic="bench"}')
        for (const state of ['one', 'two', 'three']) out.push(`:::step{state="${state}"}`, paragraph(), ':::', '')
        out.push('::::', '')
      }
    }
    await fs.writeFile(path.join(dir, `${String(n).padStart(digits, '0')}-chapter-${n}.md`), out.join('\n'))
  }
  return dir
}

/** A short JavaScript listing. */
function listing(chapter: number, section: number): string[] {
  return [
    `// Chapter ${chapter}, section ${section}: sum the counts by year.`,
    'export function totals(rows) {',
    '  const byYear = new Map()',
    '  for (const {year, count} of rows) {',
    "    if (typeof count !== 'number') throw new TypeError('Bad count in ' + year)",
    '    byYear.set(year, (byYear.get(year) ?? 0) + count)',
    '  }',
    '  return [...byYear].sort(([a], [b]) => a - b)',
    '}'
  ]
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const {values} = parseArgs({
    options: {
      chapters: {type: 'string', default: '10'},
      out: {type: 'string', default: 'bench-book'},
      seed: {type: 'string', default: '1'}
    }
  })
  const dir = await writeSyntheticBook({
    chapters: Number(values.chapters),
    out: values.out,
    seed: Number(values.seed)
  })
  process.stdout.write(`${dir}\n`)
}
