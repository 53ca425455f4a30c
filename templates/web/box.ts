/**
 * The geometry of a step's zoom, in the web client (it is shipped as a template,
 * as the client that imports it is): a mark's box, padded and widened to the frame's
 * proportions, becomes the frame's viewBox.
 */

/** A box as a viewBox: x, y, width, height. */
export type Box = [number, number, number, number]

/** `"x y w h"` (spaces or commas) as a box; undefined unless four numbers with a positive size. */
export function parseBox(value: string): Box | undefined {
  const parts = value
    .trim()
    .split(/[\s,]+/)
    .map(Number)
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return undefined
  const box = parts as Box
  return box[2] > 0 && box[3] > 0 ? box : undefined
}

/**
 * The viewBox that shows `target` (a box or an SVGRect-like object) with a
 * margin, in the proportions of `base` (the frame's own viewBox), never
 * wider than `base`.
 */
export function fitBox(target: Box | {x: number; y: number; width: number; height: number}, base: Box): Box {
  const [tx, ty, tw, th] = Array.isArray(target) ? target : [target.x, target.y, target.width, target.height]
  const pad = 0.15 * Math.max(tw, th)
  let w = tw + 2 * pad
  let h = th + 2 * pad
  const aspect = base[2] / base[3]
  if (w / h < aspect) w = h * aspect
  else h = w / aspect
  if (w > base[2]) [w, h] = [base[2], base[3]]
  return [tx + tw / 2 - w / 2, ty + th / 2 - h / 2, w, h]
}
