/**
 * Count citeproc runs through citation-js's public output register. Call
 * `citeprocCounter()` inside a `describe`: it gives `count(name)`, which
 * wraps the named output (`bibliography`, `citation`) with a counter, and
 * puts the originals back after each test.
 */
import {type OutputFormatter, plugins} from '@citation-js/core'
import {afterEach} from 'vitest'

export function citeprocCounter(): (name: 'bibliography' | 'citation') => {
  calls: number
} {
  const originals = new Map<string, OutputFormatter>()
  afterEach(() => {
    for (const [name, original] of originals) plugins.output.add(name, original)
    originals.clear()
  })
  return (name) => {
    const original = plugins.output.register.get(name)!
    originals.set(name, original)
    const counter = {calls: 0}
    plugins.output.add(name, (data, options) => {
      counter.calls++
      return original(data, options)
    })
    return counter
  }
}
