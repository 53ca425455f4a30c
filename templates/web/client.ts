/**
 * The web story's only script. Scrollama marks the active step of every
 * scrolly section; the section's graphic then shows that step's state. The
 * state is set for the current step (idempotent), never applied as a diff, so
 * anchor jumps and fast scrolling cannot leave a graphic in a wrong state.
 *
 * Geometry comes from the stylesheet: each section's `--tf-mode` (`side`,
 * `above`, `overlay` or `behind`, chosen by media queries) decides where the trigger
 * line sits and where a step lands when a link jumps to it. Both are
 * recomputed on every resize and rotation, and Scrollama's observers with them.
 */
import scrollama from 'scrollama'
import {fitHeight} from './fit.js'
import {focusStep, hoverHighlights, progress} from './focus.js'
import {keyed, move} from './move.js'
import './header.js'
import './popover.js'

/** The part of Scrollama's instance this script uses (its bundled types lack `offset`). */
interface Scroller {
  setup(options: {step: HTMLElement[]; offset: string}): Scroller
  onStepEnter(callback: (response: {element: HTMLElement}) => void): Scroller
  offset(value: string): Scroller
  resize(): Scroller
}

interface Section {
  element: HTMLElement
  graphic: HTMLElement | null
  steps: HTMLElement[]
  scroller: Scroller
  /** Trigger line, in px from the top of the viewport. */
  line: number
  /** Whether the trigger line was inside the section at the last scroll (before any resize). */
  inside: boolean
}

const sections: Section[] = []
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)')

/** Show `step`'s state in its section's graphic. Safe to call any number of times. */
function showStep(section: HTMLElement, step: HTMLElement): void {
  if (section.dataset.activeStep === step.id) return
  const state = step.dataset.state ?? ''
  section.dataset.activeStep = step.id
  section.dataset.activeState = state
  const before = keyed(section)
  for (const element of Array.from(section.querySelectorAll<SVGElement>('.scrolly__graphic [data-states]'))) {
    const states = (element.getAttribute('data-states') ?? '').split(/\s+/)
    element.classList.toggle('tf-off', !states.includes(state))
  }
  move(section, before)
  fitHeight(section)
  for (const other of Array.from(section.querySelectorAll<HTMLElement>('.step')))
    other.classList.toggle('is-active', other === step)
  // The graphic's accessible description follows the state. No live region: the step's text is
  // what the reader is reading; the graphic says what it shows when the reader turns to it.
  // Every inline variant (wide, narrow) has its own description; the hidden one may be shown on rotation.
  const image = step.querySelector<HTMLImageElement>('.step__figure img')
  for (const description of Array.from(section.querySelectorAll('.scrolly__graphic .tf-state-desc'))) {
    if (image) description.textContent = image.alt
  }
  focusStep(section, step, sections.find((s) => s.element === section)?.line ?? window.innerHeight / 2)
}

/** Work out a section's trigger line and landing point for the current viewport. */
function measure(section: Section): void {
  const height = window.innerHeight
  const mode = getComputedStyle(section.element).getPropertyValue('--tf-mode').trim()
  let line = height / 2
  let align = height * 0.3
  if (mode === 'above' || mode === 'behind') {
    // Graphic pinned at the top: read and trigger in the space below it.
    const box = section.graphic?.getBoundingClientRect()
    const figure = section.graphic?.querySelector('.scrolly__figure')?.getBoundingClientRect()
    const bottom = box && figure ? figure.bottom - box.top : 0
    line = bottom + (height - bottom) * 0.3
    align = bottom + 16
  } else if (mode === 'overlay') {
    align = height * 0.6
  }
  section.line = Math.round(line)
  fitHeight(section.element)
  // Custom properties through the CSSOM: allowed by the CSP, unlike style attributes.
  section.element.style.setProperty('--tf-align', `${Math.round(align)}px`)
}

/** The step under the trigger line (or the nearest one), for the current scroll position. */
function currentStep(section: Section): HTMLElement | undefined {
  let best: HTMLElement | undefined
  let distance = Infinity
  for (const step of section.steps) {
    const box = step.getBoundingClientRect()
    const d =
      section.line < box.top ? box.top - section.line : section.line > box.bottom ? section.line - box.bottom : 0
    if (d < distance) [best, distance] = [step, d]
  }
  return distance === 0 ? best : undefined
}

/** Whether the trigger line is within the section's steps. */
function isInside(section: Section): boolean {
  const first = section.steps[0]?.getBoundingClientRect()
  const last = section.steps[section.steps.length - 1]?.getBoundingClientRect()
  return first !== undefined && last !== undefined && first.top <= section.line && last.bottom >= section.line
}

function stepOf(element: Element | null): {step: HTMLElement; section: HTMLElement} | undefined {
  const step = element?.closest<HTMLElement>('.step')
  const section = step?.closest<HTMLElement>('.scrolly')
  return step && section ? {step, section} : undefined
}

/** Bring a step to its landing point and show its state. */
function goTo(step: HTMLElement, section: HTMLElement, smooth: boolean): void {
  showStep(section, step)
  step.scrollIntoView({
    block: 'start',
    behavior: smooth && !reducedMotion.matches ? 'smooth' : 'auto'
  })
}

/** Show the state of the step the URL's fragment points into; land it when it is the step itself. */
function showTarget(): void {
  const id = decodeURIComponent(location.hash.slice(1))
  const target = id ? document.getElementById(id) : null
  const found = stepOf(target)
  if (!target || !found) return
  if (target === found.step) goTo(found.step, found.section, false)
  else {
    showStep(found.section, found.step)
    target.scrollIntoView({block: 'center'})
  }
}

function setup(): void {
  for (const element of Array.from(document.querySelectorAll<HTMLElement>('.scrolly'))) {
    const steps = Array.from(element.querySelectorAll<HTMLElement>('.step'))
    if (steps.length === 0) continue
    const section: Section = {
      element,
      graphic: element.querySelector('.scrolly__graphic'),
      steps,
      scroller: scrollama() as unknown as Scroller,
      line: 0,
      inside: false
    }
    measure(section)
    sections.push(section)
  }
  // Deep link: land on the step and show its state before the observers report anything.
  showTarget()
  for (const section of sections) {
    section.inside = isInside(section)
    // Scrollama reports a crossing a frame or more after it happened: by then a jump (a Tab into
    // another step, a link) may have moved the page on, so the step under the line now wins, unless the
    // reported step is under it too (two steps touch there).
    section.scroller.setup({step: section.steps, offset: `${section.line}px`}).onStepEnter(({element}) => {
      const box = element.getBoundingClientRect()
      const under = box.top <= section.line && box.bottom >= section.line
      showStep(section.element, under ? element : (currentStep(section) ?? element))
    })
  }
  window.addEventListener('hashchange', showTarget)
  hoverHighlights()

  // Next/Previous step links (and any in-page link to a step): land the step, move focus to it.
  document.addEventListener('click', (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return
    const link = (event.target as Element | null)?.closest?.<HTMLAnchorElement>('a[href^="#"]')
    const target = link ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null
    const found = stepOf(target)
    if (!link || !found || target !== found.step) return
    event.preventDefault()
    history.pushState(null, '', link.hash)
    goTo(found.step, found.section, true)
    found.step.focus({preventScroll: true})
  })

  // Keyboard focus entering another step (Tab) lands that step, so its state shows and the
  // focused control is not hidden under a pinned graphic. Mouse focus never scrolls.
  document.addEventListener('focusin', (event) => {
    const target = event.target as HTMLElement
    const found = stepOf(target)
    if (!found || target === found.step || !target.matches(':focus-visible')) return
    if (found.section.dataset.activeStep !== found.step.id) goTo(found.step, found.section, false)
    const graphic = found.section.querySelector('.scrolly__graphic')?.getBoundingClientRect()
    const box = target.getBoundingClientRect()
    if (
      (graphic &&
        getComputedStyle(found.section).getPropertyValue('--tf-mode').trim() === 'above' &&
        box.top < graphic.bottom) ||
      box.bottom > window.innerHeight
    ) {
      target.scrollIntoView({block: 'center'})
    }
  })

  // Scrolling: where the reader is (kept between resizes) and the reading progress.
  const bar = document.querySelector<HTMLElement>('.progress__bar')
  let resizing = false
  let scrollPending = 0
  const scrolled = () => {
    scrollPending = 0
    // Scroll events a resize causes come after the layout changed: they say nothing of where the reader was.
    if (!resizing) for (const section of sections) section.inside = isInside(section)
    for (const section of sections) {
      const active = section.steps.find((step) => step.classList.contains('is-active'))
      if (active?.dataset.progress !== undefined) progress(section.element, active, section.line)
    }
    const max = document.documentElement.scrollHeight - window.innerHeight
    if (bar) bar.style.transform = `scaleX(${max > 0 ? Math.min(1, Math.max(0, window.scrollY / max)) : 1})`
  }
  window.addEventListener('scroll', () => (scrollPending ||= requestAnimationFrame(scrolled)), {passive: true})
  scrolled()

  // Resize and rotation: new trigger lines, new observers. When the width changes the layout may
  // change, so the step the reader was in is landed again and keeps its state.
  let width = window.innerWidth
  let resizePending = 0
  window.addEventListener('resize', () => {
    resizing = true
    cancelAnimationFrame(resizePending)
    resizePending = requestAnimationFrame(() => {
      const widthChanged = window.innerWidth !== width
      width = window.innerWidth
      for (const section of sections) {
        const active = section.steps.find((step) => step.id === section.element.dataset.activeStep)
        const line = section.line
        measure(section)
        if (section.line !== line) section.scroller.offset(`${section.line}px`)
        else section.scroller.resize()
        if (widthChanged && active && section.inside) goTo(active, section.element, false)
        const now = currentStep(section)
        if (now) showStep(section.element, now)
      }
      resizing = false
      scrolled()
    })
  })

  // Print: the static figures are lazy images hidden on screen; load them before the page prints.
  const eager = () => {
    for (const image of Array.from(document.querySelectorAll<HTMLImageElement>('img[loading="lazy"]')))
      image.loading = 'eager'
  }
  window.addEventListener('beforeprint', eager)
  matchMedia('print').addEventListener('change', eager)
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup)
else setup()
