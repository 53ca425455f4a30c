/**
 * A graphic whose states differ in height (`data-state-heights="id:height …"`
 * on its root, in viewBox units, from the figure generators) ends where the
 * state on screen does. The client sets `--tf-cut` on the section's graphic:
 * how many px of its bottom that state leaves blank. Where the graphic is
 * pinned above the steps (a phone), the stylesheet clips the frame there, so
 * the steps show through instead of blank room kept for a state not reached
 * yet. The frame's box keeps its size: nothing on the page moves.
 */
import {parseBox} from './box.js'

export function fitHeight(section: HTMLElement): void {
  const graphic = section.querySelector<HTMLElement>('.scrolly__graphic')
  if (!graphic) return
  // Before a step is reached, the graphic shows the first step's state.
  const state = section.dataset.activeState ?? section.querySelector<HTMLElement>('.step')?.dataset.state ?? ''
  let cut = 0
  for (const svg of Array.from(section.querySelectorAll<SVGSVGElement>('.scrolly__figure > svg[data-state-heights]'))) {
    const box = svg.getBoundingClientRect()
    // The graphic's own viewBox (a zoom may be moving it; ./focus.ts keeps the original in data-view).
    const full = parseBox(svg.dataset.view ?? svg.getAttribute('viewBox') ?? '')?.[3]
    const own = (svg.dataset.stateHeights ?? '').split(' ').find((entry) => entry.startsWith(`${state}:`))
    if (!box.height || !full || !own) continue
    const height = Number(own.slice(state.length + 1))
    cut = graphic.getBoundingClientRect().bottom - box.top - (box.height * height) / full
  }
  graphic.style.setProperty('--tf-cut', `${Math.max(0, Math.floor(cut))}px`)
}
