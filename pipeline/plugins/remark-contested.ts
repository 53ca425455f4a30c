/**
 * remark plugin: turn `:::contested{#id topic="…"}` container directives into
 * `contestedClaim` nodes. The directive holds the story's passage (paragraphs)
 * and one list item per source's account, each cited. Format-neutral.
 */
import type {List, Paragraph, PhrasingContent, Root} from 'mdast'
import type {ContainerDirective} from 'mdast-util-directive'
import type {VFile} from 'vfile'
import {error} from '../messages.js'
import {visit} from '../tree.js'
import type {ContestedAccount, ContestedClaim} from '../types.js'

const source = 'remark-contested'
const idPattern = /^[A-Za-z][\w-]*$/

/** Validate contested claims and record them on `file.data.contested`. Run after remark-citations. */
export function remarkContested() {
  return (tree: Root, file: VFile) => {
    const claims: ContestedClaim[] = []
    const found: Array<{
      node: ContainerDirective
      index: number
      parent: {children: unknown[]}
    }> = []
    // A directive's name follows its colons in the source: a chapter without `:contested` has no claim.
    const mayHold = String(file.value).includes(':contested')
    if (mayHold) {
      visit(tree, (node, index, parent) => {
        if (
          (node.type === 'containerDirective' || node.type === 'leafDirective' || node.type === 'textDirective') &&
          node.name === 'contested'
        ) {
          if (node.type !== 'containerDirective') {
            error(
              file,
              'Unexpected inline `contested` directive, expected a block `:::contested{#id topic="…"}` … `:::`',
              node,
              'contested-form',
              source
            )
          } else if (parent && index !== undefined) {
            found.push({node, index, parent})
          }
        }
      })
    }
    const slug = String(file.data.slug ?? 'chapter')
    for (const {node, index, parent} of found) {
      const id = node.attributes?.id ?? `claim-${slug}-${claims.length + 1}`
      const topic = node.attributes?.topic ?? ''
      if (!idPattern.test(id))
        error(
          file,
          `Unexpected claim id \`${id}\`, expected an id starting with a letter`,
          node,
          'invalid-claim-id',
          source
        )
      if (!topic)
        error(
          file,
          'Missing `topic` on contested claim, expected `:::contested{#id topic="What is disputed"}`',
          node,
          'missing-topic',
          source
        )
      const lists = node.children.filter((c): c is List => c.type === 'list')
      const passage = node.children.filter((c) => c.type !== 'list')
      if (passage.length === 0) {
        error(
          file,
          'Missing passage in contested claim, expected a paragraph of the story before the list of accounts',
          node,
          'contested-without-passage',
          source
        )
      }
      const accounts: ContestedAccount[] = []
      if (lists.length !== 1) {
        error(
          file,
          `Unexpected ${lists.length} lists in contested claim, expected one list with an item per source's account`,
          node,
          'contested-accounts',
          source
        )
      } else {
        for (const item of lists[0].children) {
          const phrasing: PhrasingContent[] = item.children.flatMap((c) =>
            c.type === 'paragraph' ? (c as Paragraph).children : []
          )
          const account: ContestedAccount = {
            type: 'contestedAccount',
            children: phrasing,
            position: item.position
          }
          let cited = false
          visit(account, 'citation', () => {
            cited = true
          })
          if (!cited)
            error(
              file,
              'Missing citation in contested account, expected each account to cite its source, such as `800 [@key]`',
              item,
              'uncited-account',
              source
            )
          accounts.push(account)
        }
        if (accounts.length < 2) {
          error(
            file,
            `Unexpected ${accounts.length} account in contested claim, expected at least two sources that disagree`,
            lists[0],
            'contested-accounts',
            source
          )
        }
      }
      const claim: ContestedClaim = {
        type: 'contestedClaim',
        id,
        topic,
        children: passage as ContestedClaim['children'],
        accounts,
        position: node.position
      }
      parent.children[index] = claim
      claims.push(claim)
    }
    file.data.contested = claims
  }
}
