/**
 * Read a built EPUB the way a reading system does: the container, the
 * package document (metadata, manifest, spine), the nav and every content
 * document, each parsed as XML (a parse error throws).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Element, Root} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {readZip, type ZipEntry} from './epub-zip.js'

/** A manifest item. */
export interface Item {
  id: string
  href: string
  /** Path inside the zip. */
  path: string
  mediaType: string
  properties: string[]
}

/** A parsed EPUB. */
export interface Epub {
  bytes: Buffer
  entries: ZipEntry[]
  files: Map<string, Buffer>
  opfPath: string
  opf: Root
  /** `<meta property>` values and `dc:*` texts by name, in document order. */
  metadata: Map<string, string[]>
  manifest: Item[]
  /** Manifest items in spine order. */
  spine: Item[]
  nav: Item
  /** Every XHTML content document of the manifest, parsed. */
  documents: Map<string, Root>
}

/** Elements named `name` (qualified, e.g. `dc:title`) under `tree`, in document order. */
export function elements(tree: Root | Element, name: string): Element[] {
  const found: Element[] = []
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue
      if (child.name === name) found.push(child)
      walk(child)
    }
  }
  walk(tree)
  return found
}

/** Text content of an element. */
export function text(node: Element): string {
  return node.children
    .map((child) =>
      child.type === 'element' ? text(child) : child.type === 'text' || child.type === 'cdata' ? child.value : ''
    )
    .join('')
}

/** Open and parse the EPUB at `file`. */
export async function openEpub(file: string): Promise<Epub> {
  const bytes = await fs.readFile(file)
  const entries = readZip(bytes)
  const files = new Map(entries.map((entry) => [entry.name, entry.data]))
  const container = fromXml(String(files.get('META-INF/container.xml')))
  const opfPath = String(elements(container, 'rootfile')[0]?.attributes['full-path'])
  const opf = fromXml(String(files.get(opfPath)))
  const base = path.posix.dirname(opfPath)

  const metadata = new Map<string, string[]>()
  const add = (key: string, value: string) => metadata.set(key, [...(metadata.get(key) ?? []), value])
  const metadataElement = elements(opf, 'metadata')[0]
  for (const child of metadataElement ? elements(metadataElement, 'meta') : []) {
    if (child.attributes.property && !child.attributes.refines) add(String(child.attributes.property), text(child))
  }
  for (const child of metadataElement?.children ?? []) {
    if (child.type === 'element' && child.name.startsWith('dc:')) add(child.name, text(child))
  }

  const manifest: Item[] = elements(opf, 'item').map((item) => ({
    id: String(item.attributes.id),
    href: String(item.attributes.href),
    path: path.posix.join(base, String(item.attributes.href)),
    mediaType: String(item.attributes['media-type']),
    properties: String(item.attributes.properties ?? '')
      .split(/\s+/)
      .filter(Boolean)
  }))
  const byId = new Map(manifest.map((item) => [item.id, item]))
  const spine = elements(opf, 'itemref').map((ref) => {
    const item = byId.get(String(ref.attributes.idref))
    if (!item) throw new Error(`Spine item ${String(ref.attributes.idref)} is not in the manifest`)
    return item
  })
  const nav = manifest.find((item) => item.properties.includes('nav'))
  if (!nav) throw new Error('No nav document in the manifest')

  const documents = new Map<string, Root>()
  for (const item of manifest) {
    if (item.mediaType !== 'application/xhtml+xml') continue
    const data = files.get(item.path)
    if (!data) throw new Error(`${item.path} is in the manifest but not in the zip`)
    try {
      documents.set(item.path, fromXml(data.toString('utf8')))
    } catch (cause) {
      throw new Error(`${item.path} is not well-formed XML: ${(cause as Error).message}`)
    }
  }
  return {
    bytes,
    entries,
    files,
    opfPath,
    opf,
    metadata,
    manifest,
    spine,
    nav,
    documents
  }
}
