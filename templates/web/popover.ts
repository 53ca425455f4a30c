/**
 * Note and disagreement popovers of the web story (imported once by
 * client.ts; sets itself up).
 *
 * - Citations: each note link (`a.cite__ref`) is described by a
 *   `role="tooltip"` element (`aria-describedby`) holding the formatted note.
 *   It shows on mouse hover (and stays while the pointer moves onto it), on
 *   keyboard focus, and on a first tap (a second tap follows the link to the
 *   note). Escape, blur, leaving with the pointer or tapping elsewhere hides
 *   it. Without JavaScript the tooltip stays hidden and the link jumps to the
 *   note.
 * - Contested claims: the “Sources disagree” button (hidden in the HTML, shown
 *   here) opens the claim's accounts as a popover, a disclosure with
 *   `aria-expanded` and `aria-controls`; Escape or a click elsewhere closes it
 *   and Escape returns focus to the button. Without JavaScript the accounts
 *   are a `<details>`.
 *
 * Popovers go in the top layer when the browser has the Popover API (so
 * sticky graphics never cover them) and are placed next to their trigger.
 * No inline styles in markup: positions are set through the CSSOM, which the
 * page's Content-Security-Policy allows.
 */

const topLayer = typeof HTMLElement !== 'undefined' && 'showPopover' in HTMLElement.prototype
const gap = 6
const hideDelay = 250

interface Open {
  trigger: HTMLElement
  panel: HTMLElement
}

let tip: Open | undefined
let panel: Open | undefined
let hideTimer = 0
/** Whether the tip of the link being tapped was already open when the tap began. */
let tapOpen: {link: HTMLElement; wasOpen: boolean} | undefined

function show(open: Open, below: boolean): void {
  const {panel: element} = open
  element.hidden = false
  if (topLayer && !element.matches(':popover-open')) element.showPopover()
  if (below) placePanel(open)
  else place(open, false)
}

function hide(open: Open): void {
  const {panel: element} = open
  if (topLayer && element.matches(':popover-open')) element.hidePopover()
  element.hidden = true
}

/**
 * Put a claim's accounts where they never cover its passage: beside the passage when the screen has room to its
 * right, else below the button, which follows the passage (never flipped above it).
 */
function placePanel({trigger, panel: element}: Open): void {
  const margin = 8
  const passage = trigger.closest('.contested')?.getBoundingClientRect() ?? trigger.getBoundingClientRect()
  const anchor = trigger.getBoundingClientRect()
  const box = element.getBoundingClientRect()
  const width = document.documentElement.clientWidth
  const height = document.documentElement.clientHeight
  const beside = width - passage.right - 2 * gap - margin >= box.width
  const left = beside
    ? passage.right + 2 * gap
    : Math.min(Math.max(margin, anchor.left), Math.max(margin, width - box.width - margin))
  // Beside: level with the passage, kept on screen while the passage is, never above the passage's top.
  const top = beside
    ? Math.max(passage.top, Math.min(Math.max(margin, passage.top), height - box.height - margin))
    : anchor.bottom + gap
  element.style.left = `${Math.round(left)}px`
  element.style.top = `${Math.round(top)}px`
  element.dataset.side = beside ? 'beside' : 'below'
}

/** Put a tip beside its trigger: above, flipped below when it does not fit, kept inside the viewport. */
function place({trigger, panel: element}: Open, below: boolean): void {
  const margin = 8
  const anchor = trigger.getBoundingClientRect()
  const box = element.getBoundingClientRect()
  const width = document.documentElement.clientWidth
  const height = document.documentElement.clientHeight
  const spaceAbove = anchor.top - gap - margin
  const spaceBelow = height - anchor.bottom - gap - margin
  const useBelow = below
    ? spaceBelow >= box.height || spaceBelow >= spaceAbove
    : !(spaceAbove >= box.height || spaceAbove >= spaceBelow)
  const top = useBelow ? anchor.bottom + gap : anchor.top - gap - box.height
  const left = Math.min(
    Math.max(margin, anchor.left + anchor.width / 2 - box.width / 2),
    Math.max(margin, width - box.width - margin)
  )
  element.style.left = `${Math.round(left)}px`
  // Kept on screen while its trigger is; scrolled away with it otherwise.
  const visible = anchor.bottom > 0 && anchor.top < height
  element.style.top = `${Math.round(visible ? Math.min(Math.max(margin, top), Math.max(margin, height - box.height - margin)) : top)}px`
  element.dataset.side = useBelow ? 'below' : 'above'
}

function tipOf(link: HTMLElement): HTMLElement | null {
  const id = link.getAttribute('aria-describedby')
  return id ? document.getElementById(id) : null
}

/**
 * The id of the citation a link or backlink just jumped to: it lands under the pointer or takes focus without the
 * reader asking for its note, so its tip stays shut until they move the pointer, tap or press a key.
 */
let landed = decodeURIComponent(location.hash.slice(1))

function openTip(link: HTMLElement): void {
  window.clearTimeout(hideTimer)
  if (landed && link.id === landed) return
  if (tip?.trigger === link) return
  closeTip()
  const element = tipOf(link)
  if (!element) return
  tip = {trigger: link, panel: element}
  show(tip, false)
}

function closeTip(): void {
  window.clearTimeout(hideTimer)
  if (tip) hide(tip)
  tip = undefined
}

function scheduleCloseTip(): void {
  window.clearTimeout(hideTimer)
  hideTimer = window.setTimeout(closeTip, hideDelay)
}

function openPanel(button: HTMLElement): void {
  const id = button.getAttribute('aria-controls')
  const element = id ? document.getElementById(id) : null
  if (!element) return
  if (panel && panel.trigger !== button) closePanel(false)
  panel = {trigger: button, panel: element}
  button.setAttribute('aria-expanded', 'true')
  show(panel, true)
}

function closePanel(focusButton: boolean): void {
  if (!panel) return
  const {trigger} = panel
  // A tip shown from inside the panel goes with it.
  if (tip && panel.panel.contains(tip.trigger)) closeTip()
  hide(panel)
  trigger.setAttribute('aria-expanded', 'false')
  panel = undefined
  if (focusButton) trigger.focus()
}

function noteLink(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>('a.cite__ref[aria-describedby]') : null
}

/** Turn every contested claim's `<details>` into the popover of its button. */
function setupContested(): void {
  for (const button of Array.from(
    document.querySelectorAll<HTMLButtonElement>('button.contested__toggle[aria-controls]')
  )) {
    const element = document.getElementById(button.getAttribute('aria-controls') ?? '')
    if (!(element instanceof HTMLDetailsElement)) continue
    element.open = true
    element.hidden = true
    element.classList.add('is-popover')
    if (topLayer) element.popover = 'manual'
    button.hidden = false
    button.addEventListener('click', () => {
      if (panel?.trigger === button) closePanel(false)
      else openPanel(button)
    })
  }
  for (const element of Array.from(document.querySelectorAll<HTMLElement>('.cite__tip[role="tooltip"]'))) {
    if (topLayer) element.popover = 'manual'
  }
}

/** A deep link or backlink to a citation inside a closed popover opens it first, so the target is seen. */
function revealTarget(): void {
  const id = decodeURIComponent(location.hash.slice(1))
  const target = id ? document.getElementById(id) : null
  const holder = target?.closest<HTMLElement>('.contested__accounts.is-popover')
  if (!target || !holder) return
  const button = document.querySelector<HTMLElement>(
    `button.contested__toggle[aria-controls="${CSS.escape(holder.id)}"]`
  )
  if (!button) return
  button.scrollIntoView({block: 'center'})
  openPanel(button)
}

function setup(): void {
  setupContested()

  document.addEventListener('pointerover', (event) => {
    if (event.pointerType === 'touch') return
    const link = noteLink(event.target)
    if (link) openTip(link)
    else if (tip && event.target instanceof Node && tip.panel.contains(event.target)) window.clearTimeout(hideTimer)
  })
  document.addEventListener('pointerout', (event) => {
    if (!tip || event.pointerType === 'touch') return
    const from = event.target instanceof Node ? event.target : null
    const to = event.relatedTarget instanceof Node ? event.relatedTarget : null
    const inside = (node: Node | null) => node !== null && (tip!.trigger.contains(node) || tip!.panel.contains(node))
    // Moving between the link and its tip keeps it open (WCAG 1.4.13: hoverable).
    if (inside(from) && !inside(to) && document.activeElement !== tip.trigger) scheduleCloseTip()
  })
  document.addEventListener('focusin', (event) => {
    const link = noteLink(event.target)
    if (link) openTip(link)
    else if (tip) closeTip()
    // Focus moving out of an open panel (and off its button) closes it.
    if (panel && event.target instanceof Node && !panel.panel.contains(event.target) && event.target !== panel.trigger)
      closePanel(false)
  })
  document.addEventListener('focusout', (event) => {
    const link = noteLink(event.target)
    if (link && tip?.trigger === link && !link.matches(':hover')) closeTip()
  })
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return
    if (tip) {
      closeTip()
      event.preventDefault()
    } else if (panel) {
      closePanel(true)
      event.preventDefault()
    }
  })
  document.addEventListener('pointerdown', (event) => {
    const target = event.target instanceof Node ? event.target : null
    const link = noteLink(event.target)
    tapOpen = link && event.pointerType !== 'mouse' ? {link, wasOpen: tip?.trigger === link} : undefined
    if (tip && !link && !(target && tip.panel.contains(target))) closeTip()
    if (panel && target && !panel.panel.contains(target) && !panel.trigger.contains(target)) closePanel(false)
  })
  document.addEventListener('click', (event) => {
    const link = noteLink(event.target)
    if (!link) return
    // Touch: the first tap shows the note, the second follows the link to it.
    if (tapOpen?.link === link && !tapOpen.wasOpen) {
      event.preventDefault()
      openTip(link)
    } else {
      closeTip()
    }
    tapOpen = undefined
  })

  let frame = 0
  const replace = () => {
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(() => {
      if (tip) place(tip, false)
      if (panel) placePanel(panel)
    })
  }
  window.addEventListener('scroll', replace, {passive: true})
  window.addEventListener('resize', replace)

  revealTarget()
  window.addEventListener('hashchange', () => {
    landed = decodeURIComponent(location.hash.slice(1))
    if (tip?.trigger.id === landed) closeTip()
    revealTarget()
  })
  // The reader acts: a tip may open again. Scrolling moves the page under a still pointer, with no movement of its own.
  const act = () => {
    landed = ''
  }
  document.addEventListener('keydown', act, {capture: true})
  document.addEventListener('pointerdown', act, {capture: true})
  document.addEventListener(
    'pointermove',
    (event) => {
      if (event.movementX !== 0 || event.movementY !== 0) act()
    },
    {capture: true, passive: true}
  )
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup)
else setup()
