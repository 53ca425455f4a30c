/**
 * Wayfinding on every page but the cover: a slim header that stays on screen
 * (the client hides it while the reader scrolls down, unless motion is
 * reduced) with the book's title, where the page stands (“Chapter 3 of 7”) and
 * a menu of the pages that works without JavaScript (`<details>`); the
 * reading time and standfirst under a chapter's title; and Previous and Next
 * through every page in book order, the back matter included.
 */
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import {labelsFor, readingMinutes} from '../../labels/index.js'
import type {Book} from '../../types.js'

/** A page of the story in reading order. */
export interface StoryPage {
  href: string
  title: string
  /** 1-based, for chapters. */
  chapter?: number | undefined
}

/** Every page after the cover, in book order: the chapters, then the back matter. */
export function storyPages(book: Book, backMatter: Array<{href: string; text: string}>): StoryPage[] {
  return [
    ...book.chapters.map((chapter, index) => ({
      href: `${chapter.slug}.html`,
      title: chapter.title,
      chapter: index + 1
    })),
    ...backMatter.map((link) => ({href: link.href, title: link.text}))
  ]
}

/**
 * Most chapters a page's menu lists. A longer book's menu lists those around
 * the page, and the contents on the cover list them all: every page carrying
 * every chapter would make a book's pages grow with the square of its length
 * (a thousand chapters, 225 MB of pages).
 */
export const menuChapters = 25

/** The pages a menu on `current` lists: every page, or in a longer book the chapters around it and the back matter. */
function menuPages(pages: StoryPage[], current: string): Array<StoryPage | 'gap'> {
  const chapters = pages.filter((entry) => entry.chapter)
  if (chapters.length <= menuChapters) return pages
  const at = chapters.findIndex((entry) => entry.href === current)
  // A back matter page comes after the last chapter.
  const middle = at === -1 ? chapters.length : at
  const start = Math.max(0, Math.min(middle - Math.floor(menuChapters / 2), chapters.length - menuChapters))
  const end = start + menuChapters
  return [
    ...(start > 0 ? ['gap' as const] : []),
    ...chapters.slice(start, end),
    ...(end < chapters.length ? ['gap' as const] : []),
    ...pages.filter((entry) => !entry.chapter)
  ]
}

/** The header of a page of the story: skip link, the book's title, where the page stands, the menu of pages. */
export function storyHeader(book: Book, pages: StoryPage[], current: string): Element {
  const labels = labelsFor(book.meta.language)
  const page = pages.find((entry) => entry.href === current)
  return h('header.site-header', {dataHeader: ''}, [
    h('a.skip-link', {href: '#main'}, labels.skipToStory),
    h('a.site-title', {href: 'index.html'}, book.meta.title),
    page?.chapter ? h('span.site-header__where', labels.chapterOf(page.chapter, book.chapters.length)) : undefined,
    h('details.site-menu', [
      h('summary.site-menu__toggle', labels.contents),
      h('nav.site-menu__panel', {ariaLabel: labels.contents}, [
        h(
          'ol.site-menu__list',
          menuPages(pages, current).map((entry) =>
            entry === 'gap'
              ? h('li.site-menu__gap', {ariaHidden: 'true'}, '…')
              : h('li', {className: entry.chapter ? undefined : ['site-menu__back']}, [
                  h(
                    'a',
                    {href: entry.href, ariaCurrent: entry.href === current ? 'page' : undefined},
                    entry.chapter ? [h('span.site-menu__number', `${entry.chapter}`), ' ', entry.title] : entry.title
                  )
                ])
          )
        ),
        h('p.site-menu__home', [h('a', {href: 'index.html'}, labels.contents)])
      ])
    ])
  ])
}

/** Previous and Next from `current` through `pages`; the cover (the contents) before the first and after the last. */
export function storyNav(book: Book, pages: StoryPage[], current: string): Element {
  const labels = labelsFor(book.meta.language)
  const index = pages.findIndex((entry) => entry.href === current)
  const previous = pages[index - 1]
  const next = pages[index + 1]
  const link = (entry: StoryPage | undefined, rel: 'prev' | 'next'): ElementContent =>
    h(
      rel === 'prev' ? 'a.chapter-nav__prev' : 'a.chapter-nav__next',
      {href: entry?.href ?? 'index.html', rel: entry ? rel : undefined},
      [
        h('span.chapter-nav__label', entry ? (rel === 'prev' ? labels.previous : labels.next) : labels.contents),
        h('span', entry?.title ?? book.meta.title)
      ]
    )
  return h('nav.chapter-nav', {ariaLabel: labels.chaptersNav}, [link(previous, 'prev'), link(next, 'next')])
}

/** What goes under a chapter's title: its standfirst (the frontmatter `description`) and its reading time. */
export function chapterIntro(book: Book, words: number, description: string | undefined): ElementContent[] {
  return [
    description ? h('p.chapter__standfirst', description) : undefined,
    h('p.chapter__time', labelsFor(book.meta.language).readingTime(readingMinutes(words)))
  ].filter((node): node is Element => node !== undefined)
}
