/**
 * remark plugin: turn `::::scrolly{graphic="name"}` container directives and
 * their `:::step{state="id"}` children into validated `scrollySection` and
 * `scrollyStep` nodes. Format-neutral: the targets decide the markup.
 */
import type {Root} from 'mdast'
import type {ContainerDirective} from 'mdast-util-directive'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {error} from '../messages.js'
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
          steps.push({
            type: 'scrollyStep',
            state,
            id,
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
  }
}
