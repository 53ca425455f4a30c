/**
 * The menu of a story page: every page in a short book; in a long one the
 * chapters around the page and the back matter, so that no page grows with
 * the book's length.
 */
import {toHtml} from 'hast-util-to-html'
import {describe, expect, it} from 'vitest'
import {menuChapters, type StoryPage, storyHeader, storyPages} from '../pipeline/render/web/wayfinding.js'
import type {Book} from '../pipeline/types.js'

function bookOf(count: number): {book: Book; pages: StoryPage[]} {
  const chapters = Array.from({length: count}, (_, i) => ({slug: `c${i + 1}`, title: `Chapter ${i + 1}`}))
  const book = {meta: {language: 'en', title: 'A Long Book'}, chapters} as unknown as Book
  return {book, pages: storyPages(book, [{href: 'sources.html', text: 'Sources'}])}
}

/** The links of a page's menu, and its gaps (`…`), in order. */
function menu(book: Book, pages: StoryPage[], current: string): string[] {
  const html = toHtml(storyHeader(book, pages, current))
  const list = /<ol class="site-menu__list">([\s\S]*?)<\/ol>/.exec(html)![1]!
  return [...list.matchAll(/<li[^>]*>(?:<a href="([^"]+)"|(…))/g)].map((match) => match[1] ?? match[2]!)
}

describe('the menu of a page', () => {
  it('lists every page of a short book', () => {
    const {book, pages} = bookOf(menuChapters)
    expect(menu(book, pages, 'c3.html')).toEqual([...pages.map((page) => page.href)])
  })

  it('lists the chapters around the page in a long book, with the back matter and a mark where others are left out', () => {
    const {book, pages} = bookOf(300)
    const half = Math.floor(menuChapters / 2)
    const around = (from: number) => Array.from({length: menuChapters}, (_, i) => `c${from + i}.html`)
    expect(menu(book, pages, 'c150.html')).toEqual(['…', ...around(150 - half), '…', 'sources.html'])
    expect(menu(book, pages, 'c1.html')).toEqual([...around(1), '…', 'sources.html'])
    expect(menu(book, pages, 'c300.html')).toEqual(['…', ...around(300 - menuChapters + 1), 'sources.html'])
    expect(menu(book, pages, 'sources.html')).toEqual(['…', ...around(300 - menuChapters + 1), 'sources.html'])
  })

  it('is as long in a book of 2,000 chapters as in one of 200', () => {
    const size = (count: number) => {
      const {book, pages} = bookOf(count)
      return toHtml(storyHeader(book, pages, `c${count / 2}.html`)).length
    }
    expect(size(2000)).toBeLessThan(size(200) * 1.05)
  })
})
