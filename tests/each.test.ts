/** `eachAtMost`: every item once, never more than the limit under way, and after a failure no new start. */
import {expect, it} from 'vitest'
import {eachAtMost} from '../pipeline/output/each.js'

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

it('runs every item once, at most `limit` at a time', async () => {
  let running = 0
  let most = 0
  const seen: number[] = []
  await eachAtMost([...Array(50).keys()], 4, async (item, index) => {
    expect(index).toBe(item)
    running++
    most = Math.max(most, running)
    await tick()
    seen.push(item)
    running--
  })
  expect(most).toBe(4)
  expect(seen.sort((a, b) => a - b)).toEqual([...Array(50).keys()])
})

it('starts nothing after a failure, lets the running tasks end, then throws the first failure', async () => {
  const started: number[] = []
  const ended: number[] = []
  const failing = eachAtMost([...Array(20).keys()], 3, async (item) => {
    started.push(item)
    await tick()
    if (item === 4) throw new Error('item 4')
    await tick()
    ended.push(item)
  })
  await expect(failing).rejects.toThrow('item 4')
  expect(Math.max(...started)).toBeLessThan(8)
  // Every task that started and did not fail ended before the call threw.
  expect(ended.sort((a, b) => a - b)).toEqual(started.filter((item) => item !== 4).sort((a, b) => a - b))
})

it('does nothing for no items', async () => {
  let calls = 0
  await eachAtMost([], 4, async () => {
    calls++
  })
  expect(calls).toBe(0)
})
