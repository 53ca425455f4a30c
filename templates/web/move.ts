/**
 * Marks that persist between states move to their new places. A graphic
 * draws such a mark once per layout, each drawing with its own `data-states`
 * and one shared `data-key`; when the state changes, the drawing that arrives
 * starts over the one that leaves and slides (and grows) into its place while
 * the leaving one goes with it and fades out. Under reduced motion, at once.
 */
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)')

function shown(element: Element): boolean {
  return !element.closest('.tf-off')
}

/** Each drawn variant's keyed marks on screen now, by key; pass the result to `move` after the state changed. */
export function keyed(section: HTMLElement): Map<string, SVGGraphicsElement> {
  const found = new Map<string, SVGGraphicsElement>()
  for (const mark of Array.from(section.querySelectorAll<SVGGraphicsElement>('.scrolly__figure [data-key]')))
    if (shown(mark) && mark.getBoundingClientRect().width > 0)
      found.set(`${mark.ownerSVGElement?.dataset.prefix}#${mark.dataset.key}`, mark)
  return found
}

/** Slide each keyed mark from where it was (`before`, from `keyed`) to where its drawing for the new state is. */
export function move(section: HTMLElement, before: Map<string, SVGGraphicsElement>): void {
  if (reducedMotion.matches) return
  // The transform that puts box `q`'s drawing over box `p` (origin: the drawing's own top left).
  const over = (p: DOMRect, q: DOMRect) =>
    `translate(${p.x - q.x}px,${p.y - q.y}px) scale(${q.width ? p.width / q.width : 1},${q.height ? p.height / q.height : 1})`
  for (const [key, arriving] of keyed(section)) {
    const leaving = before.get(key)
    if (!leaving || leaving === arriving) continue
    const was = leaving.getBBox()
    const is = arriving.getBBox()
    for (const [mark, start, end] of [
      [arriving, over(was, is), 'none'],
      [leaving, 'none', over(is, was)]
    ] as const) {
      mark.style.transformBox = 'fill-box'
      mark.style.transformOrigin = '0 0'
      mark.classList.add('tf-move')
      const animation = mark.animate([{transform: start}, {transform: end}], {duration: 600, easing: 'ease-in-out'})
      animation.onfinish = animation.oncancel = () => mark.classList.remove('tf-move')
    }
  }
}
