/**
 * remark plugin: turn `::::scrolly{graphic="name"}` container directives and
 * their `:::step{state="id"}` children into validated `scrollySection` and
 * `scrollyStep` nodes. Format-neutral: the targets decide the markup.
 */
import type {Nodes, Root} from 'mdast'
import type {ContainerDirective} from 'mdast-util-directive'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {error, warn} from '../messages.js'
import {visit} from '../tree.js'
import type {Graphic, ScrollySection, ScrollyStep} from '../types.js'

const source = 'remark-scrolly'
const layouts = new Set(['side', 'overlay'])
const idPattern = /^[A-Za-z][\w-]*$/

/** Options of `remarkScrolly`. */
export interface Options {
  /** Look up a graphic by name; undefined when it does not exist or is invalid. */
  getGraphic: (name: string) => Promise<Graphic | undefined>
  /** Whether a graphic source exists at all (to tell “unknown” from “invalid”). */
  hasGraphic: (name: string) => boolean
  /** Names of all graphics, for suggestions. */
  graphicNames: () => string[]
}

/** Validate scrolly sections and replace them with `scrollySection` nodes. */
export function remarkScrolly(options: Options) {
  return async (tree: Root, file: VFile) => {
    const slug = String(file.data.slug ?? 'chapter')
    const sections: Array<{
      node: ContainerDirective
      index: number
      parent: {children: unknown[]}
    }> = []
    // A directive's name follows its colons in the source: a chapter without `:scrolly` or `:step` has neither.
    const text = String(file.value)
    const mayHold = text.includes(':scrolly') || text.includes(':step')
    if (mayHold) {
      visit(tree, (node, index, parent) => {
        if (node.type !== 'containerDirective' && node.type !== 'leafDirective' && node.type !== 'textDirective') return
        if (node.name === 'scrolly') {
          if (node.type !== 'containerDirective') {
            error(
              file,
              `Unexpected \`${node.type === 'leafDirective' ? '::' : ':'}scrolly\`, expected a container \`::::scrolly{graphic="name"}\` … \`::::\``,
              node,
              'scrolly-form',
              source
            )
            return
          }
          if (parent && index !== undefined) sections.push({node, index, parent})
          return SKIP
        }
        if (node.name === 'step') {
          error(
            file,
            'Unexpected step outside a scrolly section, expected `:::step` inside `::::scrolly{graphic="name"}` (the outer fence needs more colons)',
            node,
            'step-outside-scrolly',
            source
          )
        }
      })
    }

    const ids = new Set<string>()
    let sectionCount = 0
    let stepCount = 0
    const used: string[] = []
    for (const {node, index, parent} of sections) {
      sectionCount++
      const name = node.attributes?.graphic ?? ''
      const layout = node.attributes?.layout ?? 'side'
      let graphic: Graphic | undefined
      if (!name) {
        error(
          file,
          'Missing `graphic` on scrolly section, expected `::::scrolly{graphic="name"}` naming a file in figures/',
          node,
          'missing-graphic',
          source
        )
      } else if (!options.hasGraphic(name)) {
        const names = options.graphicNames()
        error(
          file,
          `Unexpected unknown graphic \`${name}\`, expected ${names.length ? `one of ${names.map((n) => `\`${n}\``).join(', ')}` : 'a `.svg` or `.yaml` file in figures/'}`,
          node,
          'unknown-graphic',
          source
        )
      } else {
        graphic = await options.getGraphic(name)
        if (!graphic)
          error(
            file,
            `Unexpected invalid graphic \`${name}\`, expected it to be fixed first (see the messages on its file)`,
            node,
            'invalid-graphic',
            source
          )
        else if (!used.includes(name)) used.push(name)
      }
      if (!layouts.has(layout)) {
        error(file, `Unexpected layout \`${layout}\`, expected \`side\` or \`overlay\``, node, 'invalid-layout', source)
      }

      const steps: ScrollyStep[] = []
      for (const child of node.children) {
        if (child.type === 'containerDirective' && child.name === 'step') {
          stepCount++
          const state = child.attributes?.state ?? ''
          const id = child.attributes?.id ?? `step-${slug}-${stepCount}`
          if (!state) {
            error(
              file,
              'Missing `state` on step, expected `:::step{state="id"}` naming a state of the graphic',
              child,
              'missing-state',
              source
            )
          } else if (graphic && !graphic.states.some((s) => s.id === state)) {
            error(
              file,
              `Unexpected unknown state \`${state}\` of graphic \`${name}\`, expected one of ${graphic.states.map((s) => `\`${s.id}\``).join(', ')}`,
              child,
              'unknown-state',
              source
            )
          }
          if (!idPattern.test(id) || ids.has(id)) {
            error(
              file,
              `Unexpected step id \`${id}\`, expected a unique id starting with a letter`,
              child,
              'invalid-step-id',
              source
            )
          }
          ids.add(id)
          if (child.children.length === 0) {
            error(
              file,
              'Unexpected empty step, expected prose for the reader inside `:::step` … `:::`',
              child,
              'empty-step',
              source
            )
          }
          const focus = focusOf(child, graphic, name, file)
          steps.push({
            type: 'scrollyStep',
            state,
            id,
            ...focus,
            children: child.children as ScrollyStep['children'],
            position: child.position
          })
        } else {
          error(
            file,
            `Unexpected ${child.type === 'containerDirective' || child.type === 'leafDirective' ? `\`${child.name}\` directive` : child.type} in scrolly section, expected only \`:::step{state="id"}\` blocks`,
            child,
            'scrolly-content',
            source
          )
        }
      }
      if (node.children.length === 0) {
        error(
          file,
          'Unexpected empty scrolly section, expected at least one `:::step{state="id"}` inside it',
          node,
          'empty-scrolly',
          source
        )
      }
      const section: ScrollySection = {
        type: 'scrollySection',
        graphic: name,
        layout: layout === 'overlay' ? 'overlay' : 'side',
        id: node.attributes?.id ?? `scrolly-${slug}-${sectionCount}`,
        children: steps,
        position: node.position
      }
      parent.children[index] = section
    }
    file.data.graphicsUsed = used
    if (text.includes(':hl')) loneHighlights(tree, file)
  }
}

const viewBox = /^-?[\d.]+(?:[\s,]+-?[\d.]+){3}$/

/**
 * A step's focus effects: `zoom="mark"` (or `zoom="x y w h"`, a viewBox),
 * `highlight="mark mark"`, `progress`; and its inline `:hl[text]{target="mark"}`
 * spans, which become `<mark class="tf-hl" data-target>`. Marks are the
 * graphic's ids and `data-mark` names (`unknown-mark` otherwise).
 */
function focusOf(
  step: ContainerDirective,
  graphic: Graphic | undefined,
  name: string,
  file: VFile
): Pick<ScrollyStep, 'zoom' | 'highlight' | 'progress'> {
  const attributes = step.attributes ?? {}
  const check = (mark: string, node: Nodes) => {
    if (!graphic || graphic.marks.has(mark)) return true
    const names = [...graphic.marks].sort()
    error(
      file,
      `Unexpected unknown mark \`${mark}\` of graphic \`${name}\`, expected ${names.length ? `one of ${names.map((n) => `\`${n}\``).join(', ')}` : 'a graphic with ids or `data-mark` names'}`,
      node,
      'unknown-mark',
      source
    )
    return false
  }
  const zoom = attributes.zoom?.trim() || undefined
  if (zoom && !viewBox.test(zoom)) check(zoom, step)
  const highlight = (attributes.highlight ?? '').split(/\s+/).filter(Boolean)
  for (const mark of highlight) check(mark, step)
  const progress = attributes.progress !== undefined && attributes.progress !== null && attributes.progress !== 'false'
  visit(step, (node) => {
    if (node.type !== 'textDirective' || node.name !== 'hl') return
    const target = node.attributes?.target?.trim() ?? ''
    if (!target) {
      error(file, 'Missing `target` on `:hl`, expected `:hl[text]{target="mark"}`', node, 'unknown-mark', source)
    } else if (check(target, node)) {
      node.data = {hName: 'mark', hProperties: {className: ['tf-hl'], dataTarget: target}}
    }
  })
  return {
    ...(zoom ? {zoom} : {}),
    ...(highlight.length ? {highlight} : {}),
    ...(progress ? {progress} : {})
  }
}

/** `:hl` outside a step has no graphic to point at: its text stays, with a warning. */
function loneHighlights(tree: Root, file: VFile) {
  visit(tree, (node, index, parent) => {
    if (node.type === 'scrollySection') return SKIP
    if (node.type !== 'textDirective' || node.name !== 'hl' || !parent || index === undefined) return
    warn(
      file,
      'Unexpected `:hl` outside a scrolly step, expected it inside `:::step` (kept as plain text)',
      node,
      'hl-outside-step',
      source
    )
    parent.children.splice(index, 1, ...(node.children as never[]))
    return index
  })
}
