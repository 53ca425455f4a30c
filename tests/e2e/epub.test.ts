/** The built EPUBs through Debian's epubcheck 4.2.6: no errors, no warnings. */
import {describe, expect, inject, it} from 'vitest'
import {epubcheck} from '../helpers/epubcheck.js'

const builds = inject('builds')

describe('epubcheck', () => {
  for (const name of ['basic', 'story'] as const) {
    it(`passes the ${name} book with 0 errors and 0 warnings`, async () => {
      const messages = await epubcheck(builds[name].epub)
      const problems = messages.filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')
      expect(problems.map((m) => `${m.severity} ${m.ID} ${m.message} ${JSON.stringify(m.locations[0] ?? {})}`)).toEqual(
        []
      )
    })
  }
})
