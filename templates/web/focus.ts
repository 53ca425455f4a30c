/**
 * Focus effects of a step on its section's graphic (every inline variant):
 * `data-zoom` zooms the SVG that holds a mark (or sets a viewBox),
 * `data-highlight` and the step's `:hl` spans dim every other mark, and
 * `data-progress` reveals `[data-reveal]` marks as the step scrolls by.
 * Marks are found by `data-mark` name or by id (prefixed on the page).
 */
import {type Box, fitBox, parseBox} from './box.js'

const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)')

function graphics(section: HTMLElement): SVGSVGElement[] {
  return Array.from(section.querySelectorAll<SVGSVGElement>('.scrolly__figure > svg'))
}

function find(svg: SVGSVGElement, name: string): SVGGraphicsElement | null {
  // A mark drawn once per layout (./move.ts) is the drawing of the state on screen.
  const marks = Array.from(svg.querySelectorAll<SVGGraphicsElement>(`[data-mark="${CSS.escape(name)}"]`))
  return (
    marks.find((mark) => !mark.closest('.tf-off')) ??
    marks[0] ??
    svg.querySelector<SVGGraphicsElement>(`#${CSS.escape(`${svg.dataset.prefix}-${name}`)}`)
  )
}

/** Zoom every variant's SVG to the mark or viewBox `value`; back to the whole graphic when empty. */
function zoom(section: HTMLElement, value: string): void {
  for (const svg of graphics(section)) {
    const frames = [svg, ...Array.from(svg.querySelectorAll('svg'))]
    const target = value ? find(svg, value) : null
    const owner = target?.ownerSVGElement ?? svg
    const given = parseBox(value)
    for (const frame of frames) {
      frame.dataset.view ??= frame.getAttribute('viewBox') ?? ''
      const base = parseBox(frame.dataset.view)
      if (!base) continue
      let goal = base
      if (frame === owner && (given || target)) {
        const box = given ?? parseBox(target?.dataset.box ?? '') ?? target?.getBBox()
        if (box) goal = given ?? fitBox(box, base)
      }
      animate(frame, base, goal)
    }
  }
}

const running = new WeakMap<SVGSVGElement, number>()

/** Move a frame's viewBox to `goal` (at once under reduced motion), keeping `[data-anchor]` marks at their size. */
function animate(frame: SVGSVGElement, base: Box, goal: Box): void {
  const from = parseBox(frame.getAttribute('viewBox') ?? '') ?? base
  const start = performance.now()
  const duration = reducedMotion.matches ? 0 : 700
  cancelAnimationFrame(running.get(frame) ?? 0)
  const tick = (now: number) => {
    const t = duration ? Math.min(1, (now - start) / duration) : 1
    const e = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2
    const at = from.map((v, i) => v + ((goal[i] ?? v) - v) * e) as Box
    frame.setAttribute('viewBox', at.map((v) => Math.round(v * 100) / 100).join(' '))
    const k = base[2] / at[2]
    for (const mark of Array.from(frame.querySelectorAll<SVGElement>('[data-anchor]'))) {
      const [ax, ay] = (mark.dataset.anchor ?? '0 0').split(' ').map(Number)
      // Labels and place marks keep their size on screen; their anchor moves with the map.
      mark.style.transform =
        k === 1 ? '' : `translate(${ax}px,${ay}px) scale(${1 / k}) translate(${-(ax ?? 0)}px,${-(ay ?? 0)}px)`
    }
    if (t < 1) running.set(frame, requestAnimationFrame(tick))
    else aside(frame.ownerSVGElement ?? frame)
  }
  running.set(frame, requestAnimationFrame(tick))
}

/** A map's inset globe stays put while the map zooms: it steps aside (`tf-aside`) while a label drawn now runs under it. */
function aside(svg: SVGSVGElement): void {
  for (const inset of Array.from(svg.querySelectorAll('[data-inset]'))) {
    const g = inset.getBoundingClientRect()
    const covers = Array.from(svg.querySelectorAll('text')).some((label) => {
      const b = label.getBoundingClientRect()
      return (
        !inset.contains(label) &&
        !label.closest('.tf-off') &&
        b.left < g.right &&
        g.left < b.right &&
        b.top < g.bottom &&
        g.top < b.bottom
      )
    })
    inset.classList.toggle('tf-aside', covers)
  }
}

/** Dim every mark but `names` (and what holds them or they hold); nothing dims when `names` is empty. */
export function highlight(section: HTMLElement, names: string[]): void {
  for (const svg of graphics(section)) {
    const targets = names.map((name) => find(svg, name)).filter((t): t is SVGGraphicsElement => t !== null)
    for (const mark of Array.from(svg.querySelectorAll<SVGElement>('[data-mark], [id]'))) {
      if (mark.tagName === 'title' || mark.tagName === 'desc') continue
      const dim = targets.length > 0 && !targets.some((t) => t.contains(mark) || mark.contains(t))
      mark.classList.toggle('tf-dim', dim)
    }
  }
  for (const span of Array.from(section.querySelectorAll<HTMLElement>('.tf-hl')))
    span.classList.toggle('is-on', names.includes(span.dataset.target ?? ''))
}

/** The marks a step highlights: its `highlight` attribute and its `:hl` spans. */
export function stepMarks(step: HTMLElement): string[] {
  const spans = Array.from(step.querySelectorAll<HTMLElement>('.tf-hl')).map((s) => s.dataset.target ?? '')
  return [...(step.dataset.highlight ?? '').split(' '), ...spans].filter(Boolean)
}

/** Apply a step's zoom and highlight (called when it becomes the active step). */
export function focusStep(section: HTMLElement, step: HTMLElement, line: number): void {
  if ((section.dataset.zoom ?? '') !== (step.dataset.zoom ?? '')) {
    section.dataset.zoom = step.dataset.zoom ?? ''
    zoom(section, step.dataset.zoom ?? '')
  } else for (const svg of graphics(section)) aside(svg)
  highlight(section, stepMarks(step))
  progress(section, step, line)
}

/** Reveal a progress step's `[data-reveal]` marks up to the trigger line (`line`, px); all of them otherwise. */
export function progress(section: HTMLElement, step: HTMLElement | undefined, line: number): void {
  let p = 1
  if (step?.dataset.progress !== undefined) {
    // Over the step's card, so the blank scroll after it holds the state complete (1).
    const box = (step.querySelector('.step__text') ?? step).getBoundingClientRect()
    p = Math.min(1, Math.max(0, (line - box.top) / box.height))
    section.dataset.progress = p.toFixed(3)
  } else delete section.dataset.progress
  for (const mark of Array.from(section.querySelectorAll<SVGElement>('.scrolly__figure [data-reveal]')))
    mark.classList.toggle('tf-unrevealed', Number(mark.dataset.reveal) >= p && p < 1)
}

/** `:hl` spans: hovering or focusing one highlights its mark; leaving it restores the active step's. */
export function hoverHighlights(): void {
  for (const span of Array.from(document.querySelectorAll<HTMLElement>('.scrolly .tf-hl'))) {
    span.tabIndex = 0
    const section = span.closest<HTMLElement>('.scrolly')
    if (!section) continue
    const on = () => highlight(section, [span.dataset.target ?? ''])
    const off = () => {
      const active = section.querySelector<HTMLElement>('.step.is-active')
      highlight(section, active ? stepMarks(active) : [])
    }
    span.addEventListener('mouseenter', on)
    span.addEventListener('focus', on)
    span.addEventListener('mouseleave', off)
    span.addEventListener('blur', off)
  }
}
