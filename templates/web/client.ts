/**
 * The web story's only script. Scrollama marks the active step of every
 * scrolly section; the section's graphic then shows that step's state. The
 * state is set for the current step (idempotent), never applied as a diff, so
 * anchor jumps and fast scrolling cannot leave a graphic in a wrong state.
 */
import scrollama from 'scrollama'

interface Scroller {
  resize(): void
}

const scrollers: Scroller[] = []

function showStep(section: HTMLElement, step: HTMLElement): void {
  const state = step.dataset.state ?? ''
  if (section.dataset.activeStep === step.id) return
  section.dataset.activeStep = step.id
  section.dataset.activeState = state
  for (const element of Array.from(section.querySelectorAll<SVGElement>('.scrolly__graphic [data-states]'))) {
    const states = (element.getAttribute('data-states') ?? '').split(/\s+/)
    element.classList.toggle('tf-off', !states.includes(state))
  }
  for (const other of Array.from(section.querySelectorAll<HTMLElement>('.step'))) {
    other.classList.toggle('is-active', other === step)
  }
  // The graphic's accessible description follows the state (no live region: the step text is already read).
  const description = section.querySelector('.scrolly__graphic .tf-state-desc')
  const image = step.querySelector<HTMLImageElement>('.step__figure img')
  if (description && image) description.textContent = image.alt
}

function showTarget(): void {
  const id = decodeURIComponent(location.hash.slice(1))
  const target = id ? document.getElementById(id) : null
  const step = target?.closest<HTMLElement>('.step')
  const section = step?.closest<HTMLElement>('.scrolly')
  if (step && section) showStep(section, step)
}

function setup(): void {
  for (const section of Array.from(document.querySelectorAll<HTMLElement>('.scrolly'))) {
    const steps = Array.from(section.querySelectorAll<HTMLElement>('.step'))
    if (steps.length === 0) continue
    const scroller = scrollama()
    scroller
      .setup({step: steps, offset: 0.6})
      .onStepEnter(({element}: {element: HTMLElement}) => showStep(section, element))
    scrollers.push(scroller)
  }
  showTarget()
  window.addEventListener('hashchange', showTarget)
  let pending = 0
  const resize = () => {
    cancelAnimationFrame(pending)
    pending = requestAnimationFrame(() => {
      for (const scroller of scrollers) scroller.resize()
    })
  }
  window.addEventListener('resize', resize)
  window.addEventListener('orientationchange', resize)
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup)
else setup()
