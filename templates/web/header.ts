/**
 * The sticky header (imported once by client.ts; sets itself up). While the
 * reader scrolls down it slides away, and it comes back as soon as they scroll
 * up; with reduced motion it never moves and stays on screen. It stays while
 * its menu is open or holds focus. The menu is a `<details>` and works without
 * JavaScript; here Escape and a click elsewhere close it.
 */

const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)')

function setup(): void {
  const header = document.querySelector<HTMLElement>('[data-header]')
  if (!header) return
  const menu = header.querySelector<HTMLDetailsElement>('details')
  let last = window.scrollY
  let frame = 0

  const update = () => {
    frame = 0
    const y = window.scrollY
    const delta = y - last
    // A few pixels either way are not a change of direction.
    if (Math.abs(delta) < 6) return
    last = y
    const keep =
      reducedMotion.matches || y < header.offsetHeight || menu?.open || header.contains(document.activeElement)
    header.classList.toggle('is-hidden', !keep && delta > 0)
  }
  window.addEventListener(
    'scroll',
    () => {
      if (!frame) frame = requestAnimationFrame(update)
    },
    {passive: true}
  )
  reducedMotion.addEventListener('change', () => header.classList.remove('is-hidden'))
  header.addEventListener('focusin', () => header.classList.remove('is-hidden'))

  if (!menu) return
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return
    menu.open = false
    menu.querySelector('summary')?.focus()
  })
  document.addEventListener('pointerdown', (event) => {
    if (menu.open && event.target instanceof Node && !menu.contains(event.target)) menu.open = false
  })
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup)
else setup()
