/**
 * The book's own levels for diagnostics rules (`rules:` in book.yaml):
 * `off` drops a rule's messages, `warn` leaves them warnings, `error` makes
 * them errors (the build then writes nothing). A rule that is an error
 * because the books would be wrong without a fix (an unknown citation key,
 * broken TeX) cannot be lowered: its messages stay errors, and book.yaml gets
 * a `rule-not-lowered` warning.
 */
import type {VFile} from 'vfile'
import {fieldValuePosition} from './book/yaml-fields.js'
import {warn} from './messages.js'

/** Apply `rules` to the messages of `files`; `bookFile` (book.yaml) gets the warnings about the rules themselves. */
export function applyRules(
  files: Iterable<VFile>,
  rules: Record<string, 'off' | 'warn' | 'error'> | undefined,
  bookFile: VFile | undefined
): void {
  if (!rules || Object.keys(rules).length === 0) return
  const notLowered = new Set<string>()
  for (const file of files) {
    file.messages = file.messages.filter((message) => {
      const level = message.ruleId ? rules[message.ruleId] : undefined
      if (!level) return true
      if (level === 'error') {
        message.fatal = true
        return true
      }
      if (message.fatal) {
        notLowered.add(message.ruleId as string)
        return true
      }
      return level === 'warn'
    })
  }
  if (!bookFile) return
  for (const ruleId of notLowered) {
    warn(
      bookFile,
      `Unexpected level \`${rules[ruleId]}\` for the rule \`${ruleId}\`, expected \`error\`: its problems must be fixed for the books to be right (they stay errors)`,
      fieldValuePosition(bookFile, 'rules'),
      'rule-not-lowered',
      'twofold-rules'
    )
  }
}
