/**
 * Marks that persist between states move to their new places. A graphic
 * draws such a mark once per layout, each drawing with its own `data-states`
 * and one shared `data-key`; when the state changes, the drawing that arrives
 * starts over the one that leaves and slides (and grows) into its place while
 * the leaving one goes with it and fades out. Text is moved, never stretched:
 * each `<text>` in a growing mark is scaled back, frame by frame, to its size.
 * Under reduced motion, at once.
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

/** Run `frames` on `element` for 0.6 s, transforms from its own top left; `tf-move` cross-fades a moving mark. */
function run(element: SVGGraphicsElement, frames: Keyframe[], mark: boolean): void {
  element.style.transformBox = 'fill-box'
  element.style.transformOrigin = '0 0'
  if (mark) element.classList.add('tf-move')
  const animation = element.animate(frames, {duration: 600})
  animation.onfinish = animation.oncancel = () => element.classList.remove('tf-move')
}

/** Slide each keyed mark from where it was (`before`, from `keyed`) to where its drawing for the new state is. */
export function move(section: HTMLElement, before: Map<string, SVGGraphicsElement>): void {
  if (reducedMotion.matches) return
  for (const [key, arriving] of keyed(section)) {
    const leaving = before.get(key)
    if (!leaving || leaving === arriving) continue
    const was = leaving.getBBox()
    const is = arriving.getBBox()
    for (const mark of [arriving, leaving]) {
      const own = mark === arriving ? is : was
      const frames: Keyframe[] = []
      const texts: Keyframe[] = []
      // Eleven frames of an ease-in-out from the leaving box to the arriving one; each drawing is put over that box.
      for (let k = 0; k <= 10; k++) {
        const t = k / 10
        const e = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2
        const at = (p: 'x' | 'y' | 'width' | 'height') => was[p] + (is[p] - was[p]) * e
        // A text mark only moves; a mark that holds text grows, and its text is scaled back.
        const text = mark instanceof SVGTextElement
        const sx = own.width && at('width') && !text ? at('width') / own.width : 1
        const sy = own.height && at('height') && !text ? at('height') / own.height : 1
        frames.push({transform: `translate(${at('x') - own.x}px,${at('y') - own.y}px) scale(${sx},${sy})`})
        texts.push({transform: `scale(${1 / sx},${1 / sy})`})
      }
      run(mark, frames, true)
      for (const text of Array.from(mark.querySelectorAll<SVGGraphicsElement>('text'))) run(text, texts, false)
    }
  }
}
