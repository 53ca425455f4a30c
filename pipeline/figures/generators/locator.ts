/**
 * `locator`: a locator map of a region drawn with d3-geo from Natural Earth
 * (world-atlas, countries 1:110m): the focus country highlighted, the others
 * in a muted fill with their names, places as labelled dots, and optionally
 * an inset globe showing where the region is.
 *
 * ```yaml
 * type: locator
 * focus: Peru                  # a country name as in world-atlas countries-110m
 * focusStates: [peru, lima]    # optional, default all
 * bounds: {west: -86, south: -20, east: -64, north: 2}
 * inset: bottom-left           # optional: none (default), top-left, top-right, bottom-left, bottom-right
 * countryLabels: true          # optional: name the other countries (default true)
 * places:                      # optional
 *   - name: Lima
 *     lon: -77.04
 *     lat: -12.05
 *     note: …                  # optional second, smaller line
 *     anchor: left             # optional: right (default) or left of the dot
 *     states: [lima]           # optional, default all
 * labels:                      # optional: seas, regions (italic)
 *   - {text: Pacific Ocean, lon: -82, lat: -8, states: [...]}
 * ```
 *
 * The credit always names the map data: “Map data: Natural Earth via world-atlas”.
 *
 * The narrow artboard crops the map to the focus country, its places and
 * labels (about as tall as it is wide), with a smaller globe; place notes and
 * free labels wrap, and a place's label moves to the dot's other side when
 * it would leave the map.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {type GeoProjection, geoBounds, geoMercator, geoOrthographic, geoPath} from 'd3-geo'
import type {Feature, FeatureCollection, Geometry, MultiPolygon, Polygon} from 'geojson'
import {feature, merge, mesh} from 'topojson-client'
import type {
  GeometryCollection,
  Topology,
  MultiPolygon as TopoMultiPolygon,
  Polygon as TopoPolygon
} from 'topojson-specification'
import type {Element} from 'xast'
import {x} from 'xastscript'
import type {Generator} from './generator.js'
import {type Colour, fill, group, markName, measure, r, stroke, text, wrap} from './svg.js'

/** A labelled point on the map. */
export interface MapPlace {
  name: string
  lon: number
  lat: number
  note?: string | undefined
  anchor: 'left' | 'right'
  states: string[]
}

/** A free label (sea, region) on the map. */
export interface MapLabel {
  text: string
  lon: number
  lat: number
  states: string[]
}

/** A checked locator spec. */
export interface LocatorData {
  focus: string
  focusStates: string[]
  bounds: {west: number; south: number; east: number; north: number}
  inset: 'none' | 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right'
  countryLabels: boolean
  places: MapPlace[]
  labels: MapLabel[]
}

/** Attribution the map data requires. */
export const mapCredit = 'Map data: Natural Earth via world-atlas'

interface CountryProperties {
  name: string
}

interface Atlas {
  topology: Topology<{countries: GeometryCollection<CountryProperties>}>
  countries: Array<Feature<Polygon | MultiPolygon, CountryProperties>>
}

// The atlas is immutable data: load and convert it once per process.
let atlas: Atlas | undefined

function loadAtlas(): Atlas {
  if (!atlas) {
    const require = createRequire(import.meta.url)
    const topology = JSON.parse(
      readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')
    ) as Atlas['topology']
    const collection = feature(topology, topology.objects.countries) as FeatureCollection<
      Polygon | MultiPolygon,
      CountryProperties
    >
    atlas = {topology, countries: collection.features}
  }
  return atlas
}

type Ring = Array<[number, number]>

/** An SVG path of `object`, dropping points within `minStep` px of the last one kept. */
function coarsePath(
  projection: GeoProjection,
  object: Parameters<ReturnType<typeof geoPath>>[0],
  minStep: number
): string {
  let d = ''
  let last: [number, number] | undefined
  let pending: [number, number] | undefined
  geoPath(projection, {
    moveTo(px, py) {
      if (pending) d += `L${r(pending[0])} ${r(pending[1])}`
      pending = undefined
      last = [px, py]
      d += `M${r(px)} ${r(py)}`
    },
    lineTo(px, py) {
      if (last && Math.hypot(px - last[0], py - last[1]) < minStep) {
        pending = [px, py]
        return
      }
      pending = undefined
      last = [px, py]
      d += `L${r(px)} ${r(py)}`
    },
    closePath() {
      pending = undefined
      d += 'Z'
    },
    beginPath() {},
    arc() {}
  })(object)
  if (pending) d += `L${r(pending[0])} ${r(pending[1])}`
  return d
}

/** Whether planar `rings` contain the point (even-odd rule). */
function contains(rings: Ring[], px: number, py: number): boolean {
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!
      const [xj, yj] = ring[j]!
      if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside
    }
  }
  return inside
}

/** The locator generator. */
export const locator: Generator<LocatorData> = {
  fields: ['focus', 'focusStates', 'bounds', 'inset', 'countryLabels', 'places', 'labels'],
  table: (data) => ({
    columns: ['Place', 'Where'],
    rows: data.places.map((p) => ({
      label: p.note ? `${p.name}, ${p.note}` : p.name,
      value: `${Math.abs(p.lat).toFixed(2)}° ${p.lat < 0 ? 'S' : 'N'}, ${Math.abs(p.lon).toFixed(2)}° ${p.lon < 0 ? 'W' : 'E'}, ${data.focus}`
    }))
  }),
  read(reader, common) {
    const names = loadAtlas().countries.map((c) => c.properties.name)
    let focus = reader.text(['focus'], 'a country name as in world-atlas countries-110m, such as `Peru`')
    if (focus !== undefined && !names.includes(focus)) {
      const near = names.filter((n) => n.toLowerCase().includes(focus!.toLowerCase().slice(0, 4)))
      reader.fail(
        ['focus'],
        `Unexpected country \`${focus}\`, expected a name from world-atlas countries-110m${
          near.length > 0
            ? ` such as ${near
                .slice(0, 3)
                .map((n) => `\`${n}\``)
                .join(', ')}`
            : ''
        }`
      )
      focus = undefined
    }
    const focusStates = reader.stateRefs(['focusStates'], common.states)
    reader.record(['bounds'], 'the region as `{west, south, east, north}` in degrees', [
      'west',
      'south',
      'east',
      'north'
    ])
    const west = reader.number(['bounds', 'west'], {min: -180, max: 180})
    const east = reader.number(['bounds', 'east'], {min: -180, max: 180})
    const south = reader.number(['bounds', 'south'], {min: -85, max: 85})
    const north = reader.number(['bounds', 'north'], {min: -85, max: 85})
    if (west !== undefined && east !== undefined && east <= west)
      reader.fail(['bounds', 'east'], 'Unexpected `east` not east of `west`, expected a larger longitude')
    if (south !== undefined && north !== undefined && north <= south)
      reader.fail(['bounds', 'north'], 'Unexpected `north` not north of `south`, expected a larger latitude')
    const inset = reader.choice(
      ['inset'],
      ['none', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] as const,
      'none'
    )
    const countryLabels = reader.flag(['countryLabels'], true)

    const inBounds = (at: Array<string | number>, lon: number | undefined, lat: number | undefined) => {
      if (
        lon === undefined ||
        lat === undefined ||
        west === undefined ||
        east === undefined ||
        south === undefined ||
        north === undefined
      )
        return
      if (lon < west || lon > east || lat < south || lat > north)
        reader.fail(at, 'Unexpected point outside `bounds`, expected it on the map')
    }
    const places: MapPlace[] = []
    const placeList = reader.has(['places']) ? (reader.list(['places'], 'places as `{name, lon, lat}`') ?? []) : []
    for (const [index] of placeList.entries()) {
      const at = ['places', index]
      if (!reader.record(at, 'a place as `{name, lon, lat}`', ['name', 'lon', 'lat', 'note', 'anchor', 'states']))
        continue
      const name = reader.text([...at, 'name'], 'the place’s name')
      const lon = reader.number([...at, 'lon'], {min: -180, max: 180})
      const lat = reader.number([...at, 'lat'], {min: -90, max: 90})
      const note = reader.optionalText([...at, 'note'])
      const anchor = reader.choice([...at, 'anchor'], ['left', 'right'] as const, 'right')
      const states = reader.stateRefs([...at, 'states'], common.states)
      inBounds(at, lon, lat)
      if (name && lon !== undefined && lat !== undefined && anchor && states)
        places.push({name, lon, lat, note, anchor, states})
    }
    const labels: MapLabel[] = []
    const labelList = reader.has(['labels']) ? (reader.list(['labels'], 'labels as `{text, lon, lat}`') ?? []) : []
    for (const [index] of labelList.entries()) {
      const at = ['labels', index]
      if (!reader.record(at, 'a label as `{text, lon, lat}`', ['text', 'lon', 'lat', 'states'])) continue
      const value = reader.text([...at, 'text'], 'the label’s text')
      const lon = reader.number([...at, 'lon'], {min: -180, max: 180})
      const lat = reader.number([...at, 'lat'], {min: -90, max: 90})
      const states = reader.stateRefs([...at, 'states'], common.states)
      inBounds(at, lon, lat)
      if (value && lon !== undefined && lat !== undefined && states) labels.push({text: value, lon, lat, states})
    }
    if (
      !focus ||
      !focusStates ||
      west === undefined ||
      east === undefined ||
      south === undefined ||
      north === undefined ||
      !inset ||
      countryLabels === undefined ||
      reader.failed
    ) {
      return undefined
    }
    return {
      focus,
      focusStates,
      bounds: {west, south, east, north},
      inset,
      countryLabels,
      places,
      labels
    }
  },
  credit(credit) {
    if (credit?.includes('Natural Earth')) return credit
    return credit ? `${credit}. ${mapCredit}` : mapCredit
  },
  render(data, common, layout) {
    const {width, margin, size, lineHeight} = layout
    const narrow = layout.variant === 'narrow'
    const {topology, countries} = loadAtlas()
    const all = common.states.map((s) => s.id)
    const {west, south, east, north} = data.bounds

    // Fit the region's corners and edge midpoints (Mercator keeps edges straight).
    const region: Geometry = {
      type: 'MultiPoint',
      coordinates: [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [(west + east) / 2, south],
        [(west + east) / 2, north]
      ]
    }
    const mapWidth = width - 2 * margin
    const top = 4
    const isFocus = (c: Feature<Polygon | MultiPolygon, CountryProperties>) => c.properties.name === data.focus
    const focusFeature = countries.find(isFocus)!
    // Narrow: what must show (the focus country, padded, and every place and
    // label) fills a map about as tall as wide; the rest of `bounds` may be cropped.
    const pad = 1.5
    const [[fw, fs], [fe, fn]] = geoBounds(focusFeature)
    const crop: Geometry = {
      type: 'MultiPoint',
      coordinates: [
        [Math.max(west, fw - pad), Math.max(south, fs - pad)],
        [Math.min(east, fe + pad), Math.min(north, fn + pad)],
        ...[...data.places, ...data.labels].flatMap(
          (p): Array<[number, number]> => [
            [Math.max(west, p.lon - pad), Math.max(south, p.lat - pad)],
            [Math.min(east, p.lon + pad), Math.min(north, p.lat + pad)]
          ]
        )
      ]
    }
    const shown = narrow ? crop : region
    const projection = geoMercator().fitWidth(mapWidth, shown)
    const [[, y0], [, y1]] = geoPath(projection).bounds(shown)
    const mapHeight = Math.round(
      narrow ? Math.min(mapWidth, Math.max(260, y1 - y0)) : Math.min(760, Math.max(320, y1 - y0))
    )
    projection.fitExtent(
      [
        [margin, top],
        [width - margin, top + mapHeight]
      ],
      shown
    )
    projection.clipExtent([
      [margin, top],
      [width - margin, top + mapHeight]
    ])
    const path = geoPath(projection).digits(1)

    const geometries = topology.objects.countries.geometries.filter(
      (g): g is TopoPolygon<CountryProperties> | TopoMultiPolygon<CountryProperties> =>
        g.type === 'Polygon' || g.type === 'MultiPolygon'
    )
    const others = merge(
      topology,
      geometries.filter((g) => g.properties?.name !== data.focus)
    )
    const borders = mesh(topology, topology.objects.countries, (a, b) => a !== b)
    const coast = mesh(topology, topology.objects.countries, (a, b) => a === b)
    const children: Element[] = []

    // The map proper is a nested <svg> (its viewBox in the outer coordinates): a step's `zoom` moves
    // that viewBox, and the frame and the inset globe stay put. Marks carry their name and box.
    const map: Element[] = []
    const boxOf = ([[x0, y0], [x1, y1]]: [[number, number], [number, number]]) =>
      [x0, y0, x1 - x0, y1 - y0].map(r).join(' ')
    map.push(x('path', {d: path(others) ?? '', ...fill('grid'), 'fill-opacity': 0.5}))
    const nonFocus = all.filter((id) => !data.focusStates.includes(id))
    let named = false
    for (const [states, colour, opacity] of [
      [data.focusStates, 'highlight', 1],
      [nonFocus, 'grid', 0.5]
    ] as const) {
      const mark: Record<string, string> = named
        ? {}
        : {'data-mark': markName(data.focus), 'data-box': boxOf(path.bounds(focusFeature))}
      const element = group(
        states,
        all,
        [
          x('path', {
            d: path(focusFeature) ?? '',
            ...fill(colour),
            'fill-opacity': opacity === 1 ? undefined : opacity
          })
        ],
        mark
      )
      if (element) {
        map.push(element)
        named = true
      }
    }
    map.push(
      x('path', {
        d: path(borders) ?? '',
        ...stroke('muted', 0.6),
        'stroke-linejoin': 'round'
      }),
      x('path', {
        d: path(coast) ?? '',
        ...stroke('muted', 0.9),
        'stroke-linejoin': 'round'
      })
    )
    children.push(
      x('rect', {
        x: margin,
        y: top,
        width: mapWidth,
        height: mapHeight,
        ...stroke('grid', 1)
      })
    )

    const ringCache = new Map<Feature, Ring[]>()
    const boundsCache = new Map<Feature, [[number, number], [number, number]]>()
    // Labels avoid each other and the inset: boxes taken so far.
    const taken: Array<[number, number, number, number]> = []
    const free = (box: [number, number, number, number]) =>
      box[0] >= margin + 4 &&
      box[2] <= width - margin - 4 &&
      box[1] >= top + 4 &&
      box[3] <= top + mapHeight - 4 &&
      taken.every((t) => box[2] < t[0] || box[0] > t[2] || box[3] < t[1] || box[1] > t[3])

    const placeMarks: Element[] = []
    const mapLeft = margin + 4
    const mapRight = width - margin - 4
    for (const place of data.places) {
      const point = projection([place.lon, place.lat])
      if (!point) continue
      const [px, py] = point
      const nameWidth = measure(place.name, size.key, true)
      // The written side, unless the name would leave the map there.
      let left = place.anchor === 'left'
      if (left && px - 13 - nameWidth < mapLeft) left = false
      else if (!left && px + 13 + nameWidth > mapRight) left = true
      const labelX = left ? px - 13 : px + 13
      const room = left ? labelX - mapLeft : mapRight - labelX
      const note = place.note ? wrap(place.note, Math.max(room, nameWidth), size.small) : []
      const boxWidth = Math.max(nameWidth, ...note.map((line) => measure(line, size.small)))
      const noteLineHeight = Math.round(size.small * 1.2)
      taken.push([
        left ? labelX - boxWidth : px - 8,
        py - 16,
        left ? px + 8 : labelX + boxWidth,
        py + (note.length > 0 ? 9 + note.length * noteLineHeight : 8)
      ])
      // Its zoom box: the land and sea within 5° around it.
      const corners = [projection([place.lon - 5, place.lat + 5]), projection([place.lon + 5, place.lat - 5])]
      const [c0, c1] = corners
      const element = group(
        place.states,
        all,
        [
          x('circle', {cx: r(px), cy: r(py), r: 8.5, ...fill('bg')}),
          x('circle', {cx: r(px), cy: r(py), r: 6, ...fill('accent')}),
          text(place.name, {
            x: labelX,
            y: py + 6,
            fontSize: size.key,
            bold: true,
            anchor: left ? 'end' : 'start'
          }),
          note.length > 0
            ? text(note, {
                x: labelX,
                y: py + 24,
                fontSize: size.small,
                colour: 'muted',
                anchor: left ? 'end' : 'start',
                lineHeight: noteLineHeight
              })
            : null
        ].filter((e): e is Element => e !== null),
        {
          'data-mark': markName(place.name),
          'data-anchor': `${r(px)} ${r(py)}`,
          ...(c0 && c1 ? {'data-box': boxOf([c0, c1])} : {})
        }
      )
      if (element) placeMarks.push(element)
    }

    // The inset globe: in the corner the data asks for, unless a place's label
    // is there or it would hide part of the focus country (the narrow map is
    // cropped); then in the clear corner that hides least of it.
    const insetRadius = narrow ? 34 : 62
    let insetCenter: [number, number] | undefined
    if (data.inset !== 'none') {
      const inward = narrow ? 8 : 12
      const corners = [
        data.inset,
        ...(['bottom-left', 'bottom-right', 'top-left', 'top-right'] as const).filter((c) => c !== data.inset)
      ]
      const spots = corners.map((corner) => {
        const cx = corner.endsWith('left') ? margin + insetRadius + inward : width - margin - insetRadius - inward
        const cy = corner.startsWith('top') ? top + insetRadius + inward : top + mapHeight - insetRadius - inward
        const pad = narrow ? 2 : 6
        const box: [number, number, number, number] = [
          cx - insetRadius - pad,
          cy - insetRadius - pad,
          cx + insetRadius + pad,
          cy + insetRadius + pad
        ]
        return {center: [cx, cy] as [number, number], box}
      })
      const clear = (box: [number, number, number, number]) =>
        taken.every((t) => box[2] < t[0] || box[0] > t[2] || box[3] < t[1] || box[1] > t[3])
      const hidden = ([cx, cy]: [number, number]) => {
        let count = 0
        for (let i = -4; i <= 4; i++) {
          for (let j = -4; j <= 4; j++) {
            const px = cx + (i * (insetRadius + 5)) / 4
            const py = cy + (j * (insetRadius + 5)) / 4
            if (Math.hypot(px - cx, py - cy) <= insetRadius + 5 && contains(ringsOf(focusFeature), px, py)) count++
          }
        }
        return count
      }
      const ranked = spots
        .map((candidate, order) => ({
          ...candidate,
          order,
          hides: hidden(candidate.center)
        }))
        .filter((candidate) => clear(candidate.box))
        .sort((a, b) => a.hides - b.hides || a.order - b.order)
      const spot = ranked[0] ?? spots[0]!
      insetCenter = spot.center
      taken.push(spot.box)
    }

    // The focus country's name, then the others' by size, where they fit
    // wholly inside the country and clear of everything else.
    const labelMarks: Element[] = []
    const byArea = countries
      .filter((c) => isFocus(c) || data.countryLabels)
      .map((c) => ({country: c, focus: isFocus(c), area: path.area(c)}))
      .filter((c) => c.focus || c.area > 1800)
      .sort((a, b) => Number(b.focus) - Number(a.focus) || b.area - a.area)
    for (const {country, focus} of byArea) {
      const name = country.properties.name.toUpperCase()
      const fontSize = focus ? size.label : size.small
      const labelWidth = measure(name, fontSize, focus) + name.length
      const spot = labelSpot(country, labelWidth, fontSize + 2)
      if (!spot) continue
      taken.push(spot.box)
      labelMarks.push(countryLabel(name, spot.at, focus ? 'ink' : 'muted', focus))
    }
    for (const label of data.labels) {
      const point = projection([label.lon, label.lat])
      if (!point) continue
      // Free labels (seas) wrap on the narrow map and stay inside it.
      const fontSize = narrow ? size.small : 15
      const lines = narrow ? wrap(label.text, 90, fontSize) : [label.text]
      const half = Math.max(...lines.map((line) => measure(line, fontSize))) / 2
      const lx = narrow ? Math.min(Math.max(point[0], mapLeft + half), mapRight - half) : point[0]
      const element = group(
        label.states,
        all,
        [
          text(lines, {
            x: lx,
            y: point[1],
            fontSize,
            italic: true,
            colour: 'muted',
            anchor: 'middle',
            lineHeight
          })
        ],
        {'data-anchor': `${r(lx)} ${r(point[1])}`}
      )
      if (element) labelMarks.push(element)
    }
    map.push(...labelMarks, ...placeMarks)
    children.unshift(
      x(
        'svg',
        {x: margin, y: top, width: mapWidth, height: mapHeight, viewBox: `${margin} ${top} ${mapWidth} ${mapHeight}`},
        map
      )
    )

    // The globe in one group the label-collision test knows (`data-inset`): no label may run under it.
    if (insetCenter) children.push(x('g', {'data-inset': ''}, globe(insetCenter, insetRadius)))
    return {children, height: top + mapHeight}

    function boundsOf(country: Feature<Polygon | MultiPolygon, CountryProperties>) {
      let bounds = boundsCache.get(country)
      if (!bounds) {
        bounds = path.bounds(country)
        boundsCache.set(country, bounds)
      }
      return bounds
    }

    /** The country's outline as drawn (projected and clipped), for fast hit tests. */
    function ringsOf(country: Feature<Polygon | MultiPolygon, CountryProperties>): Ring[] {
      let rings = ringCache.get(country)
      if (!rings) {
        const collected: Ring[] = []
        geoPath(projection, {
          moveTo: (px, py) => collected.push([[px, py]]),
          lineTo: (px, py) => collected.at(-1)?.push([px, py]),
          closePath() {},
          beginPath() {},
          arc() {}
        })(country)
        rings = collected
        ringCache.set(country, rings)
      }
      return rings
    }

    /**
     * Where a label of this size sits: wholly inside `country`, nearest its
     * centroid; failing that (a thin country), partly over the sea beside it,
     * never over another country.
     */
    function labelSpot(
      country: Feature<Polygon | MultiPolygon, CountryProperties>,
      boxWidth: number,
      boxHeight: number
    ) {
      const centre = path.centroid(country)
      const [[bx0, by0], [bx1, by1]] = boundsOf(country)
      if (![centre[0], bx0, bx1].every(Number.isFinite)) return undefined
      const step = Math.max(6, Math.sqrt(((bx1 - bx0 + boxWidth) * (by1 - by0 + boxHeight)) / 600))
      const spots: Array<[number, number]> = [centre]
      for (let sx = bx0 - boxWidth / 2; sx <= bx1 + boxWidth / 2; sx += step) {
        for (let sy = by0; sy <= by1 + boxHeight; sy += step) spots.push([sx, sy])
      }
      spots.sort(
        (a, b) => Math.hypot(a[0] - centre[0], a[1] - centre[1]) - Math.hypot(b[0] - centre[0], b[1] - centre[1])
      )
      const near = countries.filter((c) => {
        const [[cx0, cy0], [cx1, cy1]] = boundsOf(c)
        return (
          c !== country &&
          cx1 >= bx0 - boxWidth &&
          cx0 <= bx1 + boxWidth &&
          cy1 >= by0 - boxHeight &&
          cy0 <= by1 + boxHeight
        )
      })
      let beside: {at: [number, number]; box: [number, number, number, number]} | undefined
      const inCountry = (box: [number, number, number, number], i: number, j: number) =>
        contains(ringsOf(country), box[0] + ((box[2] - box[0]) * i) / 4, box[1] + ((box[3] - box[1]) * j) / 2)
      for (const [sx, sy] of spots) {
        const box: [number, number, number, number] = [sx - boxWidth / 2, sy - boxHeight + 3, sx + boxWidth / 2, sy + 3]
        if (!free(box)) continue
        let inside = 0
        for (let i = 0; i <= 4; i++) for (let j = 0; j <= 2; j++) if (inCountry(box, i, j)) inside++
        if (inside === 15) return {at: [sx, sy] as [number, number], box}
        if (inside > 0 || beside) continue
        // Over the sea, just beside the country, and over no other country.
        const halo: [number, number, number, number] = [box[0] - 10, box[1] - 10, box[2] + 10, box[3] + 10]
        let touches = false
        for (let i = 0; i <= 4 && !touches; i++)
          for (let j = 0; j <= 2 && !touches; j++) touches = inCountry(halo, i, j)
        if (!touches) continue
        let clash = false
        for (let i = 0; i <= 4 && !clash; i++) {
          for (let j = 0; j <= 2 && !clash; j++) {
            const px = box[0] + ((box[2] - box[0]) * i) / 4
            const py = box[1] + ((box[3] - box[1]) * j) / 2
            clash = near.some((c) => contains(ringsOf(c), px, py))
          }
        }
        if (!clash) beside = {at: [sx, sy], box}
      }
      return beside
    }

    function countryLabel(name: string, [cx, cy]: [number, number], colour: Colour, bold: boolean): Element {
      return x(
        'text',
        {
          'data-anchor': `${r(cx)} ${r(cy)}`,
          x: r(cx),
          y: r(cy),
          ...fill(colour),
          'font-size': bold ? size.label : size.small,
          'font-weight': bold ? 700 : undefined,
          'letter-spacing': 1,
          'text-anchor': 'middle'
        },
        name
      )
    }

    /** A small orthographic globe centred on the region, the region outlined. */
    function globe([cx, cy]: [number, number], radius: number): Element[] {
      const orthographic: GeoProjection = geoOrthographic()
        .rotate([-(west + east) / 2, (-(south + north) / 2) * 0.6])
        .scale(radius)
        .translate([cx, cy])
      // At this size 1:110m has far more points than pixels: keep one per ~1.5 px.
      const globePath = (object: Parameters<typeof path>[0]) => coarsePath(orthographic, object, 1.5)
      const land = merge(topology, geometries)
      const edge: Array<[number, number]> = []
      const steps = 12
      for (let i = 0; i <= steps; i++) edge.push([west + ((east - west) * i) / steps, north])
      for (let i = 0; i <= steps; i++) edge.push([east, north - ((north - south) * i) / steps])
      for (let i = 0; i <= steps; i++) edge.push([east - ((east - west) * i) / steps, south])
      for (let i = 0; i <= steps; i++) edge.push([west, south + ((north - south) * i) / steps])
      const outline = edge
        .map((point) => orthographic(point))
        .filter((p): p is [number, number] => p !== null)
        .map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p[0])} ${r(p[1])}`)
        .join('')
      const marks: Element[] = [
        x('circle', {cx: r(cx), cy: r(cy), r: radius + 5, ...fill('bg')}),
        x('path', {d: globePath(land), ...fill('grid'), 'fill-opacity': 0.6})
      ]
      const focusOnGlobe = group(data.focusStates, all, [x('path', {d: globePath(focusFeature), ...fill('highlight')})])
      if (focusOnGlobe) marks.push(focusOnGlobe)
      marks.push(
        x('path', {
          d: `${outline}Z`,
          ...stroke('ink', 1.5),
          'stroke-linejoin': 'round'
        }),
        x('circle', {cx: r(cx), cy: r(cy), r: radius, ...stroke('muted', 1)})
      )
      return marks
    }
  }
}
